package kernels

import (
	"slices"

	"github.com/nncc/nncc/ir"
)

// NonMaxSuppression (ai.onnx opsets 10, 11): per batch and class, greedily
// keeps the highest-scoring boxes (ties: lower box index first) whose IoU
// with every box already kept is at most iou_threshold, up to
// max_output_boxes_per_class, after dropping boxes whose score is not above
// score_threshold (when given). Boxes are [y1, x1, y2, x2] corners in any
// order (center_point_box=0) or [x_center, y_center, width, height]
// (center_point_box=1). The output lists [batch, class, box] triples.
//
// Arithmetic is float32, as the spec's tensor(float) inputs and the ONNX
// reference use, so boundary IoUs compare the same way.

func init() { Register("", "NonMaxSuppression", buildNMS) }

func buildNMS(b *Build) (Func, error) {
	center := b.Attrs().Int("center_point_box", 0)
	if center != 0 && center != 1 {
		return nil, b.Errorf("center_point_box must be 0 or 1, got %d", center)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		boxes, scores := in[0], in[1]
		if boxes.DType != ir.Float32 || scores.DType != ir.Float32 {
			return c.Errorf("boxes and scores must be float, got %v and %v", boxes.DType, scores.DType)
		}
		if boxes.Rank() != 3 || boxes.Shape[2] != 4 {
			return c.Errorf("boxes must have shape (batches, boxes, 4), got %v", boxes.Shape)
		}
		if scores.Rank() != 3 || scores.Shape[0] != boxes.Shape[0] || scores.Shape[2] != boxes.Shape[1] {
			return c.Errorf("scores shape %v does not match boxes %v: expected (batches, classes, boxes)", scores.Shape, boxes.Shape)
		}
		var maxOut int64
		var iouTh float32
		var scoreTh float32
		hasScoreTh := false
		if t := attnInput(in, 2); t != nil && t.Len() > 0 {
			v, err := advInts(t, "max_output_boxes_per_class")
			if err != nil {
				return c.Errorf("%v", err)
			}
			maxOut = max(v[0], 0)
		}
		if t := attnInput(in, 3); t != nil && t.Len() > 0 {
			v, err := nmsScalar(t)
			if err != nil {
				return c.Errorf("iou_threshold: %v", err)
			}
			iouTh = float32(v)
		}
		if t := attnInput(in, 4); t != nil && t.Len() > 0 {
			v, err := nmsScalar(t)
			if err != nil {
				return c.Errorf("score_threshold: %v", err)
			}
			scoreTh, hasScoreTh = float32(v), true
		}
		bx, sc := boxes.F32(), scores.F32()
		nb, nc, nbox := int(boxes.Shape[0]), int(scores.Shape[1]), int(boxes.Shape[1])
		st, _ := c.state.(*nmsState)
		if st == nil {
			st = new(nmsState)
			c.state = st
		}
		sel := st.sel[:0]
		for b := 0; b < nb; b++ {
			bb := bx[b*nbox*4:]
			for cl := 0; cl < nc; cl++ {
				s := sc[(b*nc+cl)*nbox:][:nbox]
				order := st.order[:0]
				for i, v := range s {
					if !hasScoreTh || v > scoreTh {
						order = append(order, i)
					}
				}
				// Highest score first, ties (and NaN) in box order: the
				// comparison is "greater", as a stable sort by it.
				slices.SortStableFunc(order, func(i, j int) int {
					switch {
					case s[i] > s[j]:
						return -1
					case s[j] > s[i]:
						return 1
					}
					return 0
				})
				kept := st.kept[:0]
				for _, i := range order {
					if int64(len(kept)) >= maxOut {
						break
					}
					ok := true
					for _, k := range kept {
						if nmsSuppress(bb[i*4:i*4+4], bb[k*4:k*4+4], center == 1, iouTh) {
							ok = false
							break
						}
					}
					if ok {
						kept = append(kept, i)
						sel = append(sel, int64(b), int64(cl), int64(i))
					}
				}
				st.order, st.kept = order, kept
			}
		}
		st.sel = sel
		out, err := c.OutputUninit(0, ir.Int64, []int64{int64(len(sel) / 3), 3})
		if err != nil {
			return err
		}
		copy(out.I64(), sel)
		return nil
	}, nil
}

// nmsState keeps a NonMaxSuppression step's work lists between Runs.
type nmsState struct {
	order, kept []int
	sel         []int64
}

// nmsScalar returns the first value of a threshold input (a scalar; a
// longer tensor gives its first value), without allocating for the float
// types.
func nmsScalar(t *ir.Tensor) (float64, error) {
	switch s := t.Data.(type) {
	case []float32:
		return float64(s[0]), nil
	case []float64:
		return s[0], nil
	case []ir.F16:
		return float64(s[0].Float32()), nil
	case []ir.BF16:
		return float64(s[0].Float32()), nil
	}
	v, err := advFloats(t)
	if err != nil {
		return 0, err
	}
	return v[0], nil
}

// nmsSuppress reports whether boxes a and b overlap with IoU > th.
func nmsSuppress(a, b []float32, center bool, th float32) bool {
	var ax0, ax1, ay0, ay1, bx0, bx1, by0, by1 float32
	if center {
		ax0, ax1 = a[0]-a[2]/2, a[0]+a[2]/2
		ay0, ay1 = a[1]-a[3]/2, a[1]+a[3]/2
		bx0, bx1 = b[0]-b[2]/2, b[0]+b[2]/2
		by0, by1 = b[1]-b[3]/2, b[1]+b[3]/2
	} else {
		ay0, ay1 = min(a[0], a[2]), max(a[0], a[2])
		ax0, ax1 = min(a[1], a[3]), max(a[1], a[3])
		by0, by1 = min(b[0], b[2]), max(b[0], b[2])
		bx0, bx1 = min(b[1], b[3]), max(b[1], b[3])
	}
	ix0, ix1 := max(ax0, bx0), min(ax1, bx1)
	if ix1 <= ix0 {
		return false
	}
	iy0, iy1 := max(ay0, by0), min(ay1, by1)
	if iy1 <= iy0 {
		return false
	}
	inter := (ix1 - ix0) * (iy1 - iy0)
	if inter <= 0 {
		return false
	}
	areaA := (ax1 - ax0) * (ay1 - ay0)
	areaB := (bx1 - bx0) * (by1 - by0)
	union := areaA + areaB - inter
	if areaA <= 0 || areaB <= 0 || union <= 0 {
		return false
	}
	return inter/union > th
}
