package passes

import (
	"fmt"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// foldConstants walks the nodes in order; each is re-inferred (so shapes
// that earlier folds made constant reach it) and then, if every present
// input is a constant, evaluated once with its kernel. Its outputs become
// constants and the node goes away. Shape and Size of a value whose static
// shape is fully known fold too, which is what specialising a graph to
// concrete input shapes relies on.
func foldConstants(g *ir.Graph, c *Context) error {
	limit := c.MaxFoldElements
	if limit <= 0 {
		limit = DefaultMaxFoldElements
	}
	dead := map[*ir.Node]bool{}
	for _, n := range g.Nodes {
		if err := ir.InferNode(n); err != nil {
			return err
		}
		vals, ok, err := foldNode(n, limit, c.foldFits)
		if err != nil {
			return err
		}
		if !ok || !c.takeFold(vals) {
			continue
		}
		for i, o := range n.Outputs {
			if o == nil {
				continue
			}
			o.Const, o.Producer, o.Index = vals[i], nil, 0
			if t := ir.TypeOfTensor(vals[i]); vals[i].Kind == ir.KindTensor || t.Kind != o.Type.Kind {
				// An empty optional or sequence does not carry its
				// element type: it keeps the inferred one.
				o.Type = t
			}
			g.Constants = append(g.Constants, o)
		}
		dead[n] = true
	}
	removeNodes(g, dead)
	return nil
}

// foldNode evaluates n if it can be folded: its outputs' static sizes
// must be within limit elements each, and fit the fold budget together.
func foldNode(n *ir.Node, limit int, fits func(bytes int64) bool) ([]*ir.Tensor, bool, error) {
	if nondeterministic(n) || len(n.Subgraphs()) > 0 {
		return nil, false, nil
	}
	if n.Domain == "" && (n.Op == "Shape" || n.Op == "Size") {
		if t := foldShapeOf(n); t != nil {
			return []*ir.Tensor{t}, true, nil
		}
	}
	in := make([]*ir.Tensor, len(n.Inputs))
	for i, v := range n.Inputs {
		if v == nil {
			continue
		}
		if v.Const == nil {
			return nil, false, nil
		}
		in[i] = v.Const
	}
	// Outputs whose inferred size is known and too large stay unfolded.
	var need int64
	for _, o := range n.Outputs {
		if o == nil {
			continue
		}
		if s, ok := o.Type.Shape.Concrete(); ok && o.Type.RankKnown {
			n, err := ir.CheckedNumElements(s, int64(limit))
			if err != nil {
				return nil, false, nil
			}
			if o.Type.Kind == ir.KindTensor {
				need += n * elemBytes(o.Type.DType)
			}
		}
	}
	if !fits(need) {
		return nil, false, nil
	}
	types := make([]*ir.Type, len(n.Inputs))
	for i, v := range n.Inputs {
		if v != nil {
			t := v.Type
			types[i] = &t
		}
	}
	fn, err := kernels.BuildNode(&kernels.Build{Node: n, InTypes: types})
	if err != nil {
		return nil, false, err
	}
	ctx := &kernels.Ctx{Outs: make([]*ir.Tensor, len(n.Outputs)), Pool: kernels.Serial{}, Node: n, MaxElements: int64(limit)}
	if err := safeCall(fn, ctx, in); err != nil {
		return nil, false, err
	}
	for i, o := range n.Outputs {
		if o != nil && ctx.Outs[i] == nil {
			return nil, false, fmt.Errorf("node %q (%s): kernel produced no output %d", n.Name, n.Op, i)
		}
	}
	return ctx.Outs, true, nil
}

func safeCall(fn kernels.Func, c *kernels.Ctx, in []*ir.Tensor) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = c.Errorf("BUG: kernel panicked while folding: %v", r)
		}
	}()
	return fn(c, in)
}

// foldShapeOf folds Shape/Size of an input whose static shape is concrete.
func foldShapeOf(n *ir.Node) *ir.Tensor {
	in := n.In(0)
	if in == nil || in.Type.Kind != ir.KindTensor || !in.Type.RankKnown {
		return nil
	}
	dims, ok := in.Type.Shape.Concrete()
	if !ok {
		return nil
	}
	if n.Op == "Size" {
		return ir.Scalar(int64(ir.NumElements(dims)))
	}
	r := int64(len(dims))
	start, end := n.Attrs.Int("start", 0), n.Attrs.Int("end", r)
	clampAxis := func(a int64) int64 {
		if a < 0 {
			a += r
		}
		return max(0, min(a, r))
	}
	start, end = clampAxis(start), clampAxis(end)
	out := []int64{}
	if start < end {
		out = append(out, dims[start:end]...)
	}
	return ir.FromSlice(out, int64(len(out)))
}
