package ir

import "fmt"

// Op table rows of the linear quantization ops.

func init() {
	RegisterOp(
		&OpSchema{Name: "QuantizeLinear", MinOpset: 10, MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "axis", Kind: AttrInt},
				{Name: "block_size", Kind: AttrInt},
				{Name: "output_dtype", Kind: AttrInt},
				{Name: "precision", Kind: AttrInt},
				{Name: "saturate", Kind: AttrInt},
			}, Infer: nnInferQuantize},
		&OpSchema{Name: "DequantizeLinear", MinOpset: 10, MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "axis", Kind: AttrInt},
				{Name: "block_size", Kind: AttrInt},
				{Name: "output_dtype", Kind: AttrInt},
			}, Infer: nnInferDequantize},
		&OpSchema{Name: "DynamicQuantizeLinear", MinOpset: 11, MinInputs: 1, MaxInputs: 1, MinOutputs: 3, MaxOutputs: 3,
			Infer: func(c *InferCtx) error {
				if !c.Has(0) {
					return c.Errorf("input x is missing")
				}
				t := *c.In[0]
				t.DType = Uint8
				c.SetOut(0, t)
				c.SetOut(1, TensorOf(Float32, Shape{}))
				c.SetOut(2, TensorOf(Uint8, Shape{}))
				return nil
			}},
	)
}

// QuantizeOutputDType resolves QuantizeLinear's output type: output_dtype,
// else the zero point's dtype (zp is Undefined when absent), else uint8.
func QuantizeOutputDType(a Attrs, zp DType) (DType, error) {
	if od := DType(a.Int("output_dtype", 0)); od != Undefined {
		if !od.Valid() {
			return Undefined, fmt.Errorf("output_dtype %d is not a data type", int(od))
		}
		if zp != Undefined && zp != od {
			return Undefined, fmt.Errorf("output_dtype %v differs from the zero point's dtype %v", od, zp)
		}
		return od, nil
	}
	if zp != Undefined {
		return zp, nil
	}
	return Uint8, nil
}

func nnInferQuantize(c *InferCtx) error {
	if !c.Has(0) {
		return c.Errorf("input x is missing")
	}
	zp := Undefined
	if c.Has(2) {
		zp = c.In[2].DType
	}
	dt, err := QuantizeOutputDType(c.Attrs(), zp)
	if err != nil {
		return c.Errorf("%v", err)
	}
	t := *c.In[0]
	t.DType = dt
	c.SetOut(0, t)
	return nil
}

func nnInferDequantize(c *InferCtx) error {
	if !c.Has(0) || !c.Has(1) {
		return c.Errorf("inputs x and x_scale are required")
	}
	dt := DType(c.Attrs().Int("output_dtype", 0))
	if dt != Undefined && !dt.Valid() {
		return c.Errorf("output_dtype %d is not a data type", int(dt))
	}
	if dt == Undefined {
		dt = c.In[1].DType
		if dt == Float8E8M0 {
			dt = Float32
		}
	}
	t := *c.In[0]
	t.DType = dt
	c.SetOut(0, t)
	return nil
}
