package kernels

import "github.com/nncc/nncc/ir"

// SequenceMap runs its body once per element of the first input sequence.
// For sample i, each sequence input contributes its i-th element (all
// sequence inputs must have the same length) and each tensor input is
// passed whole; body output j of every sample becomes element i of output
// sequence j.

func init() { Register("", "SequenceMap", buildSequenceMap) }

func buildSequenceMap(b *Build) (Func, error) {
	body, sub, err := cfBody(b, "body")
	if err != nil {
		return nil, err
	}
	nIn, nOut := len(b.Node.Inputs), len(b.Node.Outputs)
	if len(body.Inputs) != nIn {
		return nil, b.Errorf("body has %d inputs, the node %d", len(body.Inputs), nIn)
	}
	if len(body.Outputs) != nOut {
		return nil, b.Errorf("body has %d outputs, the node %d", len(body.Outputs), nOut)
	}
	// Element dtypes for empty results, from the static types.
	dts := make([]ir.DType, nOut)
	for j := range dts {
		dts[j] = body.Outputs[j].Type.DType
		if o := b.Node.Outputs[j]; o != nil && o.Type.DType != ir.Undefined {
			dts[j] = o.Type.DType
		}
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		s, err := seqInput(c, in, 0)
		if err != nil {
			return err
		}
		n := len(s.Items)
		for i, t := range in {
			if t == nil {
				return c.Errorf("input %d is missing", i)
			}
			if t.Kind == ir.KindSequence && len(t.Items) != n {
				return c.Errorf("input sequence %d has %d elements, input 0 has %d", i, len(t.Items), n)
			}
		}
		items := make([][]*ir.Tensor, nOut)
		for j := range items {
			items[j] = make([]*ir.Tensor, n)
		}
		bodyIn := make([]*ir.Tensor, nIn)
		for k := 0; k < n; k++ {
			for i, t := range in {
				bodyIn[i] = t
				if t.Kind == ir.KindSequence {
					bodyIn[i] = t.Items[k]
				}
			}
			outs, err := cfRun(c, sub, "body", bodyIn, nOut)
			if err != nil {
				return err
			}
			for j, o := range outs {
				if o.Kind != ir.KindTensor {
					return c.Errorf("body output %d must be a tensor, got a %v", j, o.Kind)
				}
				if k > 0 && o.DType != items[j][0].DType {
					return c.Errorf("body output %d is %v for element %d but %v for element 0", j, o.DType, k, items[j][0].DType)
				}
				items[j][k] = o
			}
		}
		for j := 0; j < nOut; j++ {
			dt := dts[j]
			if n > 0 {
				dt = items[j][0].DType
			}
			c.SetOutput(j, seqNew(dt, items[j]))
		}
		return nil
	}, nil
}
