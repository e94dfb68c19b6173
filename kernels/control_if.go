package kernels

import "github.com/nncc/nncc/ir"

// If runs then_branch or else_branch according to a single-element bool
// condition and passes the branch's outputs through (tensors, sequences or
// optionals alike). Both branches are compiled once, at build time. An If
// whose condition is a constant once the graph is specialised never gets
// here: the inline-if pass splices the branch it takes into the graph.

func init() { Register("", "If", buildIf) }

// subgraphTo is implemented by the runtime's nested plans: RunTo runs the
// graph and puts its first len(outs) outputs in outs, copied into dst[i]
// when that tensor has output i's dtype and shape. The If kernel hands
// it the buffers the enclosing plan reserved for its outputs, so that a
// branch's results land there with no allocation.
type subgraphTo interface {
	RunTo(c *Ctx, inputs, dst, outs []*ir.Tensor) error
}

func buildIf(b *Build) (Func, error) {
	then, ts, err := cfBody(b, "then_branch")
	if err != nil {
		return nil, err
	}
	els, es, err := cfBody(b, "else_branch")
	if err != nil {
		return nil, err
	}
	n := len(then.Outputs)
	if len(els.Outputs) != n {
		return nil, b.Errorf("then_branch has %d outputs, else_branch %d", n, len(els.Outputs))
	}
	if len(b.Node.Outputs) > n {
		return nil, b.Errorf("node has %d outputs, the branches %d", len(b.Node.Outputs), n)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		cond, err := cfBool(in[0], "cond")
		if err != nil {
			return c.Errorf("%v", err)
		}
		sub, what := es, "else_branch"
		if cond {
			sub, what = ts, "then_branch"
		}
		if st, ok := sub.(subgraphTo); ok && c.NumOutputs() <= n {
			// c.Outs is the step's output list: the body fills it.
			if err := st.RunTo(c, nil, c.Planned, c.Outs); err != nil {
				return cfErr(c, what, err)
			}
			return nil
		}
		outs, err := cfRun(c, sub, what, nil, n)
		if err != nil {
			return err
		}
		for i := 0; i < c.NumOutputs(); i++ {
			c.SetOutput(i, outs[i])
		}
		return nil
	}, nil
}
