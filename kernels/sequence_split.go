package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// SplitToSequence cuts a tensor into a sequence of pieces along an axis;
// ConcatFromSequence joins a sequence into one tensor, along an existing
// axis (numpy.concatenate) or a new one (numpy.stack).

func init() {
	Register("", "SplitToSequence", buildSplitToSequence)
	Register("", "ConcatFromSequence", buildConcatFromSequence)
}

func buildSplitToSequence(b *Build) (Func, error) {
	axisAttr := b.Attrs().Int("axis", 0)
	keep := b.Attrs().Int("keepdims", 1)
	if keep != 0 && keep != 1 {
		return nil, b.Errorf("keepdims must be 0 or 1, got %d", keep)
	}
	// Opset 24 spelled out that 1-D split lengths may be zero ("All values
	// must be >= 0"); older models rely on it too (ONNX Runtime accepts
	// them at every version), so zero lengths are accepted throughout.
	return func(c *Ctx, in []*ir.Tensor) error {
		x := in[0]
		if x.Kind != ir.KindTensor {
			return c.Errorf("input must be a tensor, got a %v", x.Kind)
		}
		axis, err := ir.NormAxis(axisAttr, x.Rank())
		if err != nil {
			return c.Errorf("%v", err)
		}
		d := x.Shape[axis]
		var lens []int64
		squeeze := false
		var sp *ir.Tensor
		if len(in) > 1 {
			sp = in[1]
		}
		switch {
		case sp == nil:
			lens = make([]int64, d)
			for i := range lens {
				lens[i] = 1
			}
			squeeze = keep == 0
		case sp.Kind != ir.KindTensor || (sp.DType != ir.Int32 && sp.DType != ir.Int64):
			return c.Errorf("split must be an int32 or int64 tensor, got %v", sp)
		case sp.Rank() == 0:
			s, _ := cfInt(sp, "split")
			if s <= 0 {
				return c.Errorf("split must be positive, got %d", s)
			}
			for left := d; left > 0; left -= s {
				lens = append(lens, min(s, left))
			}
		case sp.Rank() == 1:
			v, _ := sp.Int64s()
			sum := int64(0)
			for _, s := range v {
				if s < 0 {
					return c.Errorf("split lengths must not be negative, got %v", v)
				}
				sum += s
			}
			if sum != d {
				return c.Errorf("split lengths %v sum to %d, the axis has %d", v, sum, d)
			}
			lens = v
		default:
			return c.Errorf("split must be a scalar or 1-D, got shape %v", sp.Shape)
		}
		items, err := splitPieces(x, axis, lens, squeeze)
		if err != nil {
			return c.Errorf("%v", err)
		}
		c.SetOutput(0, seqNew(x.DType, items))
		return nil
	}, nil
}

// splitPieces cuts x along axis into pieces of the given lengths.
func splitPieces(x *ir.Tensor, axis int, lens []int64, squeeze bool) ([]*ir.Tensor, error) {
	outer, inner, d := cfProd(x.Shape[:axis]), cfProd(x.Shape[axis+1:]), int(x.Shape[axis])
	items := make([]*ir.Tensor, len(lens))
	start := 0
	for i, n := range lens {
		shape := append([]int64{}, x.Shape...)
		shape[axis] = n
		if squeeze {
			shape = append(shape[:axis], shape[axis+1:]...)
		}
		t := ir.NewTensor(x.DType, shape)
		run := int(n) * inner
		if !cfCopyBlocks(t.Data, x.Data, cfBlock{count: outer, n: run, d0: 0, ds: run, s0: start * inner, ss: d * inner}) {
			return nil, fmt.Errorf("BUG: storage %T does not match %v", x.Data, x.DType)
		}
		items[i] = t
		start += int(n)
	}
	return items, nil
}

func buildConcatFromSequence(b *Build) (Func, error) {
	axisAttr := b.Attrs().Int("axis", 0)
	newAxis := b.Attrs().Int("new_axis", 0)
	if newAxis != 0 && newAxis != 1 {
		return nil, b.Errorf("new_axis must be 0 or 1, got %d", newAxis)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		s, err := seqInput(c, in, 0)
		if err != nil {
			return err
		}
		if len(s.Items) == 0 {
			return c.Errorf("cannot concatenate an empty sequence (its result shape is unknown)")
		}
		first := s.Items[0]
		r := first.Rank()
		outRank := r + int(newAxis)
		axis, err := ir.NormAxis(axisAttr, outRank)
		if err != nil {
			return c.Errorf("axis: %v", err)
		}
		if r == 0 && newAxis == 0 {
			return c.Errorf("cannot concatenate scalars without new_axis")
		}
		// With new_axis each item is seen as having a 1 at axis.
		view := func(t *ir.Tensor) []int64 {
			if newAxis == 0 {
				return t.Shape
			}
			return append(append(append([]int64{}, t.Shape[:axis]...), 1), t.Shape[axis:]...)
		}
		out := append([]int64{}, view(first)...)
		out[axis] = 0
		for i, t := range s.Items {
			if t.Kind != ir.KindTensor || t.DType != first.DType || t.Rank() != r {
				return c.Errorf("item %d is %v, item 0 is %v%v", i, t, first.DType, first.Shape)
			}
			v := view(t)
			for a := range v {
				if a != axis && v[a] != out[a] {
					return c.Errorf("item %d has shape %v, item 0 has %v (only axis %d may differ)", i, t.Shape, first.Shape, axis)
				}
			}
			out[axis] += v[axis]
		}
		y, err := c.OutputUninit(0, first.DType, out)
		if err != nil {
			return err
		}
		outer := cfProd(out[:axis])
		row := cfProd(out[axis:])
		off := 0
		for _, t := range s.Items {
			n := cfProd(view(t)[axis:])
			cfCopyBlocks(y.Data, t.Data, cfBlock{count: outer, n: n, d0: off, ds: row, s0: 0, ss: n})
			off += n
		}
		return nil
	}, nil
}
