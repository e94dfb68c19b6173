package kernels

import (
	"slices"

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
		var kb memoKey
		key, memoOK := memoShape(kb[:0], x.Shape), true
		if !fromAttr {
			for i := 1; i <= 4 && memoOK; i++ {
				key, memoOK = memoInts(key, attnInput(in, i))
			}
		}
		st, _ := c.state.(*sliceState)
		if st == nil {
			st = new(sliceState)
			c.state = st
		}
		if !memoOK || !st.valid || !slices.Equal(st.key, key) {
			st.valid = false
			if err := st.plan.resolve(c, in, x, attrArgs, fromAttr, &st.tmp); err != nil {
				return err
			}
			st.key, st.valid = append(st.key[:0], key...), memoOK
		}
		p := &st.plan
		y, err := c.OutputUninit(0, x.DType, p.out)
		if err != nil {
			return err
		}
		mvStrided(mvOf(y.Data), mvOf(x.Data), p.out, p.strides, p.base)
		return nil
	}, nil
}

// sliceState is a Slice step's resolved plan, kept between the Runs of
// the step in its frame with the key it was resolved for (x's shape and
// the argument inputs' values) and rebuilt in place when the key changes:
// a Loop body whose starts change every iteration allocates nothing.
type sliceState struct {
	key   []int64
	valid bool // plan was resolved for key
	plan  sliceRunPlan
	tmp   []int64 // the resolved starts and steps
}

// sliceRunPlan is the general Slice path's per-shape plan: the output
// shape and the source strides and offset of mvStrided.
type sliceRunPlan struct {
	out     []int64
	strides []int
	base    int
}

// resolve sets p from a Slice step's arguments against x's shape, reusing
// p's slices and *tmp.
func (p *sliceRunPlan) resolve(c *Ctx, in []*ir.Tensor, x *ir.Tensor, attrArgs ir.SliceArgs, fromAttr bool, tmp *[]int64) error {
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
	r := len(x.Shape)
	if cap(*tmp) < 2*r {
		*tmp = make([]int64, 2*r)
	}
	starts, steps := (*tmp)[:r], (*tmp)[r:2*r]
	if cap(p.out) < r {
		p.out, p.strides = make([]int64, r), make([]int, r)
	}
	p.out, p.strides = p.out[:r], p.strides[:r]
	if err := ir.ResolveSliceInto(x.Shape, args, starts, steps, p.out); err != nil {
		return c.Errorf("%v", err)
	}
	p.base = 0
	stride := 1
	for i := r - 1; i >= 0; i-- {
		p.strides[i] = stride * int(steps[i])
		if p.out[i] > 0 {
			p.base += int(starts[i]) * stride
		}
		stride *= int(x.Shape[i])
	}
	return nil
}
