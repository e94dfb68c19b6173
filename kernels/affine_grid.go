package kernels

import (
	"github.com/nncc/nncc/ir"
)

// AffineGrid (ai.onnx opset 20): the sampling grid of an affine transform.
// For size (N, C, H, W) and theta (N, 2, 3) it outputs (N, H, W, 2) with
// grid[n, h, w] = theta[n] · (x_w, y_h, 1); for size (N, C, D, H, W) and
// theta (N, 3, 4) it outputs (N, D, H, W, 3) likewise with (x_w, y_h, z_d, 1).
// Base coordinates span [-1, 1]: at the pixel centers of the corner pixels
// with align_corners=1 (-1 + 2i/(d-1)), at their outer edges otherwise
// (-1 + (2i+1)/d).

func init() { Register("", "AffineGrid", buildAffineGrid) }

func buildAffineGrid(b *Build) (Func, error) {
	align := b.Attrs().Int("align_corners", 0) != 0
	if dt := b.InDType(0); dt != ir.Undefined && !advIsFloat(dt) {
		return nil, b.Errorf("theta must be a float tensor, got %v", dt)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		theta := in[0]
		size, err := advInts(in[1], "size")
		if err != nil {
			return c.Errorf("%v", err)
		}
		if len(size) != 4 && len(size) != 5 {
			return c.Errorf("size must have 4 (N, C, H, W) or 5 (N, C, D, H, W) values, got %v", size)
		}
		r := len(size) - 2 // spatial rank
		if theta.Rank() != 3 || theta.Shape[0] != size[0] || theta.Shape[1] != int64(r) || theta.Shape[2] != int64(r+1) {
			return c.Errorf("theta shape %v, expected (%d, %d, %d)", theta.Shape, size[0], r, r+1)
		}
		for _, d := range size {
			if d < 0 {
				return c.Errorf("size %v has a negative value", size)
			}
		}
		th, err := advFloats(theta)
		if err != nil {
			return c.Errorf("%v", err)
		}
		outShape := append([]int64{size[0]}, size[2:]...)
		outShape = append(outShape, int64(r))
		y, err := c.OutputUninit(0, theta.DType, outShape)
		if err != nil {
			return err
		}
		// base[i] holds the coordinates of spatial axis i (outermost first).
		base := make([][]float64, r)
		for i := range base {
			d := int(size[2+i])
			base[i] = make([]float64, d)
			for k := range base[i] {
				switch {
				case align && d > 1:
					base[i][k] = -1 + float64(k)*(2/float64(d-1))
				case align:
					base[i][k] = -1
				default:
					step := 2 / float64(d)
					base[i][k] = -1 + step/2 + float64(k)*step
				}
			}
		}
		spatial := ir.NumElements(size[2:])
		out := make([]float64, int(size[0])*spatial*r)
		pos := make([]int, r)
		vec := make([]float64, r+1) // (x, y[, z], 1): innermost axis first
		for n := 0; n < int(size[0]); n++ {
			t := th[n*r*(r+1):]
			for i := range pos {
				pos[i] = 0
			}
			for p := 0; p < spatial; p++ {
				for i := 0; i < r; i++ {
					vec[i] = base[r-1-i][pos[r-1-i]]
				}
				vec[r] = 1
				o := out[(n*spatial+p)*r:]
				for row := 0; row < r; row++ {
					var s float64
					for k, v := range vec {
						s += t[row*(r+1)+k] * v
					}
					o[row] = s
				}
				for i := r - 1; i >= 0; i-- {
					pos[i]++
					if pos[i] < int(size[2+i]) {
						break
					}
					pos[i] = 0
				}
			}
		}
		return advStore(y, out)
	}, nil
}
