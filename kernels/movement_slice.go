package kernels

import (
	"github.com/nncc/nncc/ir"
)

// Slice: numpy-style strided sub-tensors, with starts/ends/axes as
// attributes (opset 1-9) or inputs with optional steps (opset 10+).

func init() {
	Register("", "Slice", buildSlice)
}

func buildSlice(b *Build) (Func, error) {
	a := b.Attrs()
	fromAttr := a.Has("starts") || a.Has("ends")
	var attrArgs ir.SliceArgs
	if fromAttr {
		if !a.Has("starts") || !a.Has("ends") {
			return nil, b.Errorf("attributes starts and ends are both required")
		}
		attrArgs = ir.SliceArgs{Starts: a.Ints("starts", nil), Ends: a.Ints("ends", nil), Axes: a.Ints("axes", nil)}
	}
	fixed := planSlice(b, attrArgs, fromAttr)
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		if fixed != nil {
			if done, err := fixed.run(c, x); done {
				return err
			}
		}
		args := attrArgs
		if !fromAttr {
			for i, dst := range []*[]int64{&args.Starts, &args.Ends, &args.Axes, &args.Steps} {
				v, ok, err := mvInts(c, in, i+1)
				if err != nil {
					return err
				}
				if ok {
					*dst = v
				} else if i < 2 {
					return c.Errorf("input %d is missing", i+1)
				}
			}
		}
		starts, steps, out, err := ir.ResolveSlice(x.Shape, args)
		if err != nil {
			return c.Errorf("%v", err)
		}
		y, err := c.OutputUninit(0, x.DType, out)
		if err != nil {
			return err
		}
		st := mvStrides(x.Shape)
		strides := make([]int, len(st))
		base := 0
		for i := range st {
			strides[i] = st[i] * int(steps[i])
			if out[i] > 0 {
				base += int(starts[i]) * st[i]
			}
		}
		mvStrided(mvOf(y.Data), mvOf(x.Data), out, strides, base)
		return nil
	}, nil
}
