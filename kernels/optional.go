package kernels

import "github.com/nncc/nncc/ir"

// Optional, OptionalHasElement and OptionalGetElement. An optional is an
// ir.Tensor of KindOptional with zero Items (None) or one (a tensor or a
// sequence); its DType is the element's (for a sequence, the sequence's
// element) dtype.
//
// From opset 18 a plain tensor or sequence counts as a present element in
// OptionalHasElement and OptionalGetElement (GetElement returns it as it
// is), and HasElement's input may be omitted (false). Opset 15 declared
// optional inputs only, but the ONNX test test_loop16_seq_none (opset 16)
// feeds a loop-carried optional that becomes a plain sequence after the
// first iteration, so the opset 18 reading applies to every version; only
// the omitted input stays an opset 18 feature.

func init() {
	Register("", "Optional", buildOptional)
	Register("", "OptionalHasElement", buildOptionalHasElement)
	Register("", "OptionalGetElement", buildOptionalGetElement)
}

func buildOptional(b *Build) (Func, error) {
	var dt ir.DType
	if a, ok := b.Attrs()["type"]; ok && a.Type != nil {
		if a.Type.Kind != ir.KindTensor && a.Type.Kind != ir.KindSequence {
			return nil, b.Errorf("type must be a tensor or sequence type, got %v", *a.Type)
		}
		dt = a.Type.DType
	} else if len(b.Node.Inputs) == 0 || b.Node.Inputs[0] == nil {
		return nil, b.Errorf("an Optional without input needs the type attribute")
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		if len(in) == 0 || in[0] == nil {
			c.SetOutput(0, &ir.Tensor{Kind: ir.KindOptional, DType: dt, Shape: []int64{}})
			return nil
		}
		x := in[0]
		if x.Kind != ir.KindTensor && x.Kind != ir.KindSequence {
			return c.Errorf("input must be a tensor or a sequence, got a %v", x.Kind)
		}
		c.SetOutput(0, &ir.Tensor{Kind: ir.KindOptional, DType: x.DType, Shape: []int64{}, Items: []*ir.Tensor{x}})
		return nil
	}, nil
}

func buildOptionalHasElement(b *Build) (Func, error) {
	strict := b.Node.Opset < 18
	if strict && (len(b.Node.Inputs) == 0 || b.Node.Inputs[0] == nil) {
		return nil, b.Errorf("opset %d requires the input", b.Node.Opset)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		has := false
		if len(in) > 0 && in[0] != nil {
			x := in[0]
			has = x.Kind != ir.KindOptional || len(x.Items) > 0
		}
		out, err := c.OutputUninit(0, ir.Bool, []int64{})
		if err != nil {
			return err
		}
		ir.Data[bool](out)[0] = has
		return nil
	}, nil
}

func buildOptionalGetElement(b *Build) (Func, error) {
	return func(c *Ctx, in []*ir.Tensor) error {
		x := in[0]
		switch {
		case x.Kind == ir.KindOptional:
			if len(x.Items) == 0 {
				return c.Errorf("the optional input is empty")
			}
			c.SetOutput(0, x.Items[0])
		default:
			c.SetOutput(0, x)
		}
		return nil
	}, nil
}
