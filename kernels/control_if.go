package kernels

import "github.com/nncc/nncc/ir"

// If runs then_branch or else_branch according to a single-element bool
// condition and passes the branch's outputs through (tensors, sequences or
// optionals alike). Both branches are compiled once, at build time. An If
// whose condition is a constant once the graph is specialised never gets
// here: the inline-if pass splices the branch it takes into the graph.

func init() { Register("", "If", buildIf) }

// subgraphOut is implemented by the runtime's nested plans: RunOut runs
// the graph as the computation of c's step, its outputs becoming the
// step's; one that lives in the graph's own memory (which its next run
// reuses) is copied into c.OutputUninit's buffer: the one the enclosing
// plan reserved, or the one the step keeps for a dynamic output. So a
// branch's results land there with no allocation.
type subgraphOut interface {
	RunOut(c *Ctx, inputs []*ir.Tensor) error
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
		if st, ok := sub.(subgraphOut); ok && c.NumOutputs() <= n {
			if err := st.RunOut(c, nil); err != nil {
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
