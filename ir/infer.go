package ir

import "fmt"

// Reusable Infer functions and helpers for op table rows.

// InferSameAsInput returns an Infer that gives every output the type of
// input i (unary elementwise ops, activations, normalisations).
func InferSameAsInput(i int) func(*InferCtx) error {
	return func(c *InferCtx) error {
		if !c.Has(i) {
			return c.Errorf("input %d is missing", i)
		}
		for o := range c.Out {
			c.Out[o] = *c.In[i]
		}
		return nil
	}
}

// InferBroadcast gives output 0 the broadcast shape of all present inputs
// and the dtype of input 0 (or out when not Undefined).
func InferBroadcast(out DType) func(*InferCtx) error {
	return func(c *InferCtx) error {
		var shapes []Shape
		dt := out
		for i, t := range c.In {
			if t == nil {
				continue
			}
			if dt == Undefined {
				dt = t.DType
			}
			if !t.RankKnown {
				if dt == Undefined {
					dt = c.In[0].DType
				}
				c.SetOut(0, UnrankedOf(dt))
				return nil
			}
			_ = i
			shapes = append(shapes, t.Shape)
		}
		s, err := BroadcastShapes(shapes...)
		if err != nil {
			return c.Errorf("%v", err)
		}
		c.SetOut(0, TensorOf(dt, s))
		return nil
	}
}

// RequireSameDType checks that the given present inputs share a dtype.
func (c *InferCtx) RequireSameDType(idx ...int) error {
	var first *Type
	for _, i := range idx {
		if !c.Has(i) {
			continue
		}
		if first == nil {
			first = c.In[i]
			continue
		}
		if c.In[i].DType != first.DType {
			return c.Errorf("input %d has dtype %v, expected %v like input %d", i, c.In[i].DType, first.DType, idx[0])
		}
	}
	return nil
}

// RequireDType checks that input i has one of the allowed dtypes.
func (c *InferCtx) RequireDType(i int, allowed ...DType) error {
	if !c.Has(i) {
		return nil
	}
	for _, a := range allowed {
		if c.In[i].DType == a {
			return nil
		}
	}
	return c.Errorf("input %d has dtype %v, expected one of %v", i, c.In[i].DType, allowed)
}

// ConstInts returns the values of constant integer input i, if known.
func (c *InferCtx) ConstInts(i int) ([]int64, bool) {
	if i >= len(c.Const) || c.Const[i] == nil {
		return nil, false
	}
	v, err := c.Const[i].Int64s()
	return v, err == nil
}

// NormAxis maps a possibly negative axis into [0, rank).
func NormAxis(axis int64, rank int) (int, error) {
	a := axis
	if a < 0 {
		a += int64(rank)
	}
	if a < 0 || a >= int64(rank) {
		return 0, fmt.Errorf("axis %d out of range for rank %d", axis, rank)
	}
	return int(a), nil
}

// FloatTypes lists the floating-point dtypes most math ops accept.
var FloatTypes = []DType{Float32, Float64, Float16, BFloat16}
