package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// MaxRoiPool (ai.onnx opsets 1, 22): max pooling over regions of interest
// of X (N, C, H, W). Each ROI row is [batch_index, x1, y1, x2, y2]; its
// corners are scaled by spatial_scale and rounded (half away from zero),
// the inclusive region split into pooled_shape bins with floor/ceil edges
// (as Caffe and ONNX Runtime do), and each bin takes the maximum (0 for an
// empty bin). Output: (num_rois, C, pooled_h, pooled_w).

func init() { Register("", "MaxRoiPool", buildMaxRoiPool) }

func buildMaxRoiPool(b *Build) (Func, error) {
	a := b.Attrs()
	ps := a.Ints("pooled_shape", nil)
	if len(ps) != 2 || ps[0] <= 0 || ps[1] <= 0 {
		return nil, b.Errorf("pooled_shape must be two positive sizes, got %v", ps)
	}
	scale := float64(a.Float("spatial_scale", 1))
	ph, pw := int(ps[0]), int(ps[1])
	return func(c *Ctx, in []*ir.Tensor) error {
		x, rois := in[0], in[1]
		if x.Rank() != 4 || !advIsFloat(x.DType) {
			return c.Errorf("X must be a 4-D float tensor, got %v%v", x.DType, x.Shape)
		}
		if rois.Rank() != 2 || rois.Shape[1] != 5 || rois.DType != x.DType {
			return c.Errorf("rois must be (num_rois, 5) of %v, got %v%v", x.DType, rois.DType, rois.Shape)
		}
		n, ch, h, w := int(x.Shape[0]), int(x.Shape[1]), int(x.Shape[2]), int(x.Shape[3])
		nr := int(rois.Shape[0])
		y, err := c.OutputUninit(0, x.DType, []int64{int64(nr), int64(ch), int64(ph), int64(pw)})
		if err != nil {
			return err
		}
		xf, err := advFloats(x)
		if err != nil {
			return c.Errorf("%v", err)
		}
		rf, err := advFloats(rois)
		if err != nil {
			return c.Errorf("%v", err)
		}
		out := make([]float64, y.Len())
		for r := 0; r < nr; r++ {
			roi := rf[r*5 : r*5+5]
			bi := int(roi[0])
			if roi[0] != math.Trunc(roi[0]) || bi < 0 || bi >= n {
				return c.Errorf("roi %d: batch index %v out of range [0, %d)", r, roi[0], n)
			}
			x1, y1 := int(math.Round(roi[1]*scale)), int(math.Round(roi[2]*scale))
			x2, y2 := int(math.Round(roi[3]*scale)), int(math.Round(roi[4]*scale))
			rh, rw := max(y2-y1+1, 1), max(x2-x1+1, 1)
			bh, bw := float64(rh)/float64(ph), float64(rw)/float64(pw)
			for cc := 0; cc < ch; cc++ {
				plane := xf[(bi*ch+cc)*h*w:]
				o := out[(r*ch+cc)*ph*pw:]
				for i := 0; i < ph; i++ {
					hs := min(max(int(math.Floor(float64(i)*bh))+y1, 0), h)
					he := min(max(int(math.Ceil(float64(i+1)*bh))+y1, 0), h)
					for j := 0; j < pw; j++ {
						ws := min(max(int(math.Floor(float64(j)*bw))+x1, 0), w)
						we := min(max(int(math.Ceil(float64(j+1)*bw))+x1, 0), w)
						v := 0.0
						if he > hs && we > ws {
							v = math.Inf(-1)
							for yy := hs; yy < he; yy++ {
								for xx := ws; xx < we; xx++ {
									v = math.Max(v, plane[yy*w+xx])
								}
							}
						}
						o[i*pw+j] = v
					}
				}
			}
		}
		return advStore(y, out)
	}, nil
}
