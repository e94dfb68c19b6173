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
	var memo planMemo[*sliceRunPlan] // steady-state Runs reuse the resolved slice
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
		var kb memoKey
		key, memoOK := memoShape(kb[:0], x.Shape), true
		if !fromAttr {
			for i := 1; i <= 4 && memoOK; i++ {
				key, memoOK = memoInts(key, attnInput(in, i))
			}
		}
		p, err := memo.lookup(key, memoOK, func() (*sliceRunPlan, error) { return planSliceRun(c, in, x, attrArgs, fromAttr) })
		if err != nil {
			return err
		}
		y, err := c.OutputUninit(0, x.DType, p.out)
		if err != nil {
			return err
		}
		mvStrided(mvOf(y.Data), mvOf(x.Data), p.out, p.strides, p.base)
		return nil
	}, nil
}

// sliceRunPlan is the general Slice path's per-shape plan: the output
// shape and the source strides and offset of mvStrided.
type sliceRunPlan struct {
	out     []int64
	strides []int
	base    int
}

// planSliceRun resolves a Slice step's arguments against x's shape.
func planSliceRun(c *Ctx, in []*ir.Tensor, x *ir.Tensor, attrArgs ir.SliceArgs, fromAttr bool) (*sliceRunPlan, error) {
	args := attrArgs
	if !fromAttr {
		for i, dst := range []*[]int64{&args.Starts, &args.Ends, &args.Axes, &args.Steps} {
			v, ok, err := mvInts(c, in, i+1)
			if err != nil {
				return nil, err
			}
			if ok {
				*dst = v
			} else if i < 2 {
				return nil, c.Errorf("input %d is missing", i+1)
			}
		}
	}
	starts, steps, out, err := ir.ResolveSlice(x.Shape, args)
	if err != nil {
		return nil, c.Errorf("%v", err)
	}
	st := mvStrides(x.Shape)
	p := &sliceRunPlan{out: out, strides: make([]int, len(st))}
	for i := range st {
		p.strides[i] = st[i] * int(steps[i])
		if out[i] > 0 {
			p.base += int(starts[i]) * st[i]
		}
	}
	return p, nil
}
