package passes

import (
	"strings"

	"github.com/nncc/nncc/ir"
)

// fuseHardSwish recognises the hard-sigmoid and hard-swish subgraphs that
// exporters write instead of the ops (paddle2onnx at every opset, PyTorch
// and TensorFlow converters for opsets before 14, which has no HardSwish)
// and replaces each with the one op, which the epilogue and layout passes
// then fuse into the convolution before it:
//
//	Clip(x + 3, 0, 6) / 6                (or · 1/6)  → HardSigmoid(x, alpha=1/6, beta=1/2)
//	x · Clip(x + 3, 0, 6) / 6            (or · 1/6)  → HardSwish(x)
//	x · HardSigmoid(x, alpha=1/6, beta=1/2)          → HardSwish(x)
//
// so x · (Clip(x + 3, 0, 6) / 6) becomes HardSwish in two steps. Operands
// commute; Clip's bounds are attributes before opset 11 and constant
// inputs from it on; constants match within a relative 1e-4 and must
// broadcast to no larger shape than x. Every intermediate must have no
// other use.
func fuseHardSwish(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for changed := true; changed; {
		changed = false
		for _, n := range g.Nodes {
			var end, repl *ir.Node
			var dead []*ir.Node
			switch {
			case isOp(n, "Clip"):
				end, repl, dead = hardClipChain(s, n)
			case isOp(n, "HardSigmoid"):
				end, repl, dead = hardSigmoidTimesX(s, n)
			}
			if end == nil {
				continue
			}
			repl.Name = s.name(end.Name + "_" + strings.ToLower(repl.Op))
			replaceNode(g, end, repl)
			gone := map[*ir.Node]bool{}
			for _, m := range dead {
				gone[m] = true
			}
			removeNodes(g, gone)
			if err := ir.InferNode(repl); err != nil {
				return err
			}
			s.refresh()
			changed = true
			break
		}
	}
	return nil
}

// hardClipChain matches Clip(x + 3, 0, 6) followed by / 6 (a hard
// sigmoid) or by · x and / 6 (a hard swish). It returns the node whose
// output the replacement takes over, the replacement and the other
// matched nodes.
func hardClipChain(s *fuseState, clip *ir.Node) (end, repl *ir.Node, dead []*ir.Node) {
	lo, hi, ok := clipBounds(clip)
	if !ok || lo != 0 || hi != 6 || len(clip.Outputs) != 1 {
		return nil, nil, nil
	}
	add := soleProducer(s, clip.In(0), "Add", clip)
	if add == nil {
		return nil, nil, nil
	}
	var x *ir.Value
	for i := range 2 {
		if scalarFor(add.Inputs[1-i], add.Inputs[i], 3) {
			x = add.Inputs[i]
		}
	}
	if x == nil || !isFloatType(x) {
		return nil, nil, nil
	}
	h := clip.Out(0)
	u := s.soleUser(h)
	if u == nil {
		return nil, nil, nil
	}
	if sixth(u, h, x) {
		hs := &ir.Node{Op: "HardSigmoid", Opset: onnxOpset(s.g, 6), Inputs: []*ir.Value{x}, Attrs: ir.Attrs{}}
		hs.Attrs.SetFloat("alpha", 1.0/6)
		hs.Attrs.SetFloat("beta", 0.5)
		return u, hs, []*ir.Node{add, clip}
	}
	if !isOp(u, "Mul") || other(u, h) != x {
		return nil, nil, nil
	}
	v := s.soleUser(u.Out(0))
	if v == nil || !sixth(v, u.Out(0), x) {
		return nil, nil, nil
	}
	return v, hardSwishOf(s.g, x), []*ir.Node{add, clip, u}
}

// hardSigmoidTimesX matches x · HardSigmoid(x, alpha=1/6, beta=1/2).
func hardSigmoidTimesX(s *fuseState, hs *ir.Node) (end, repl *ir.Node, dead []*ir.Node) {
	a := hs.Attrs
	if len(hs.Outputs) != 1 || !near(float64(a.Float("alpha", 0.2)), 1.0/6) || !near(float64(a.Float("beta", 0.5)), 0.5) {
		return nil, nil, nil
	}
	x := hs.In(0)
	u := s.soleUser(hs.Out(0))
	if !isOp(u, "Mul") || other(u, hs.Out(0)) != x || !isFloatType(x) {
		return nil, nil, nil
	}
	return u, hardSwishOf(s.g, x), []*ir.Node{hs}
}

// hardSwishOf returns a new HardSwish(x) node (HardSwish is opset 14).
func hardSwishOf(g *ir.Graph, x *ir.Value) *ir.Node {
	return &ir.Node{Op: "HardSwish", Opset: onnxOpset(g, 14), Inputs: []*ir.Value{x}, Attrs: ir.Attrs{}}
}

// sixth reports whether n computes v / 6 or v · (1/6) with a constant that
// broadcasts to no larger shape than x.
func sixth(n *ir.Node, v, x *ir.Value) bool {
	switch {
	case isOp(n, "Div"):
		return n.In(0) == v && scalarFor(n.In(1), x, 6)
	case isOp(n, "Mul"):
		return scalarFor(other(n, v), x, 1.0/6)
	}
	return false
}

// scalarFor reports whether c is a compile-time scalar close to want whose
// rank is at most x's, so that broadcasting it leaves x's shape as is.
func scalarFor(c, x *ir.Value, want float64) bool {
	return c != nil && x != nil && isScalarValue(c, want) && c.Type.RankKnown && x.Type.RankKnown && c.Type.Rank() <= x.Type.Rank()
}
