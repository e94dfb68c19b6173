package kernels

import (
	"github.com/nncc/nncc/ir"
)

// Reshape-like ops: Reshape, Flatten, Squeeze, Unsqueeze and Identity.
// None of them moves data; each returns a view that shares the input's
// storage under a new shape (the runtime allows outputs to alias inputs).

func init() {
	Register("", "Reshape", buildReshape)
	Register("", "Flatten", buildFlatten)
	Register("", "Squeeze", buildSqueeze)
	Register("", "Unsqueeze", buildUnsqueeze)
	Register("", "Identity", buildIdentity)
}

func buildReshape(b *Build) (Func, error) {
	a := b.Attrs()
	allowZero := a.Int("allowzero", 0) != 0
	attrShape := a.Ints("shape", nil) // Reshape-1
	fromAttr := a.Has("shape") && (len(b.Node.Inputs) < 2 || b.Node.Inputs[1] == nil)
	if !fromAttr && (len(b.Node.Inputs) < 2 || b.Node.Inputs[1] == nil) {
		return nil, b.Errorf("input 1 (shape) is missing")
	}
	var memo planMemo[[]int64] // steady-state Runs reuse the target shape
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		spec := attrShape
		if !fromAttr {
			if spec, _, err = mvInts(c, in, 1); err != nil {
				return err
			}
		}
		var kb memoKey
		out, err := memo.lookup(memoShapes(kb[:0], x.Shape, spec), true, func() ([]int64, error) { return ir.ReshapeTarget(x.Shape, spec, allowZero) })
		if err != nil {
			return c.Errorf("%v", err)
		}
		c.SetView(0, x, out)
		return nil
	}, nil
}

func buildFlatten(b *Build) (Func, error) {
	axis := b.Attrs().Int("axis", 1)
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		r := len(x.Shape)
		a := axis
		if a < 0 {
			a += int64(r)
		}
		if a < 0 || a > int64(r) {
			return c.Errorf("axis %d is out of range for rank %d", axis, r)
		}
		out := [2]int64{int64(mvProd(x.Shape, 0, int(a))), int64(mvProd(x.Shape, int(a), r))}
		c.SetView(0, x, out[:])
		return nil
	}, nil
}

// mvAxesArg returns axes from input 1 when present, else from the "axes"
// attribute (the opset < 13 form).
func mvAxesArg(c *Ctx, in []*ir.Tensor, attr []int64) (axes []int64, given bool, err error) {
	if v, ok, err := mvInts(c, in, 1); ok || err != nil {
		return v, ok, err
	}
	return attr, attr != nil, nil
}

// mvViewMemo remembers the output shape of a Squeeze or Unsqueeze for the
// last input shape and axes input, so steady-state Runs compute nothing.
type mvViewMemo struct{ m planMemo[[]int64] }

// viewShape returns the output shape of a view op whose shape depends on
// x's shape and the axes (input 1 or the attribute), computing it with
// shape on a miss.
func (m *mvViewMemo) viewShape(c *Ctx, in []*ir.Tensor, x *ir.Tensor, attr []int64,
	shape func(axes []int64, given bool) ([]int64, error)) ([]int64, error) {
	var kb memoKey
	key, ok := memoInts(memoShape(kb[:0], x.Shape), attnInput(in, 1))
	return m.m.lookup(key, ok, func() ([]int64, error) {
		axes, given, err := mvAxesArg(c, in, attr)
		if err != nil {
			return nil, err
		}
		return shape(axes, given)
	})
}

func buildSqueeze(b *Build) (Func, error) {
	attr := b.Attrs().Ints("axes", nil)
	var memo mvViewMemo
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		out, err := memo.viewShape(c, in, x, attr, func(axes []int64, given bool) ([]int64, error) {
			return squeezeShape(c, x.Shape, axes, given)
		})
		if err != nil {
			return err
		}
		c.SetView(0, x, out)
		return nil
	}, nil
}

// squeezeShape returns shape without the given axes (which must have size
// 1), or without every axis of size 1 when no axes are given.
func squeezeShape(c *Ctx, shape, axes []int64, given bool) ([]int64, error) {
	r := len(shape)
	drop := make([]bool, r)
	if given {
		for _, a := range axes {
			ax, err := mvAxis(a, r)
			if err != nil {
				return nil, c.Errorf("%v", err)
			}
			if shape[ax] != 1 {
				return nil, c.Errorf("cannot squeeze axis %d of size %d", a, shape[ax])
			}
			drop[ax] = true
		}
	} else {
		for i, d := range shape {
			drop[i] = d == 1
		}
	}
	out := []int64{}
	for i, d := range shape {
		if !drop[i] {
			out = append(out, d)
		}
	}
	return out, nil
}

func buildUnsqueeze(b *Build) (Func, error) {
	attr := b.Attrs().Ints("axes", nil)
	var memo mvViewMemo
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		out, err := memo.viewShape(c, in, x, attr, func(axes []int64, given bool) ([]int64, error) {
			if !given {
				return nil, c.Errorf("axes are missing")
			}
			out, err := ir.UnsqueezeShape(x.Shape, axes)
			if err != nil {
				return nil, c.Errorf("%v", err)
			}
			return out, nil
		})
		if err != nil {
			return err
		}
		c.SetView(0, x, out)
		return nil
	}, nil
}

// buildIdentity passes its input through unchanged: tensors (as views),
// sequences and optionals alike.
func buildIdentity(b *Build) (Func, error) {
	return func(c *Ctx, in []*ir.Tensor) error {
		if len(in) == 0 || in[0] == nil {
			return c.Errorf("input 0 is missing")
		}
		x := in[0]
		if x.Kind == ir.KindTensor {
			c.SetView(0, x, x.Shape)
			return nil
		}
		c.SetOutput(0, x)
		return nil
	}, nil
}
