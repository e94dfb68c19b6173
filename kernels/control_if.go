package kernels

import "github.com/nncc/nncc/ir"

// If runs then_branch or else_branch according to a single-element bool
// condition and passes the branch's outputs through (tensors, sequences or
// optionals alike). Both branches are compiled once, at build time.

func init() { Register("", "If", buildIf) }

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
