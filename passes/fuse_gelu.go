package passes

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// fuseGelu recognises the two GELU subgraphs exporters write for models
// older than opset 20 (and the ONNX function body of Gelu, which writes
// its constants as CastLike(c, x), √2 as Sqrt(2) and 1+… as a two-input
// Sum) and replaces each with one Gelu (opset 20):
//
//	erf form:   x · 0.5 · (1 + Erf(x / √2))                  (or x · (1/√2))
//	tanh form:  x · 0.5 · (1 + Tanh(√(2/π) · (x + 0.044715 · x³)))
//	            x³ as Pow(x, 3), Mul(x, Mul(x, x)) or Mul(Mul(x, x), x)
//
// with the final products in any of the orders x·(1+…)·0.5, (x·0.5)·(1+…)
// and (1+…)·0.5·x, commuted operands included. Constants match within a
// relative 1e-4. Every intermediate must have no other use.
func fuseGelu(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for changed := true; changed; {
		changed = false
		for _, n := range g.Nodes {
			var x *ir.Value
			var matched []*ir.Node
			approx := ""
			switch {
			case isOp(n, "Erf"):
				x, matched = geluErfHead(s, n)
			case isOp(n, "Tanh"):
				x, matched = geluTanhHead(s, n)
				approx = "tanh"
			}
			if x == nil || !isFloatType(x) {
				continue
			}
			end, tail := geluTail(s, x, n.Out(0))
			if end == nil {
				continue
			}
			gelu := &ir.Node{Name: s.name(end.Name + "_gelu"), Op: "Gelu", Opset: onnxOpset(g, 20),
				Inputs: []*ir.Value{x}, Attrs: ir.Attrs{}}
			if approx != "" {
				gelu.Attrs.SetString("approximate", approx)
			}
			replaceNode(g, end, gelu)
			dead := map[*ir.Node]bool{}
			for _, m := range append(matched, tail...) {
				if m != end {
					dead[m] = true
				}
			}
			removeNodes(g, dead)
			if err := ir.InferNode(gelu); err != nil {
				return err
			}
			s.refresh()
			changed = true
			break
		}
	}
	return nil
}

// soleProducer returns the producer of v if it is op and v's only use is
// by user.
func soleProducer(s *fuseState, v *ir.Value, op string, user *ir.Node) *ir.Node {
	p := producerOf(v, op)
	if p == nil || len(p.Outputs) != 1 || s.soleUser(v) != user {
		return nil
	}
	return p
}

// scaledBy matches Mul(v, k) (either order) or, when div is non-zero,
// Div(v, div) and returns v; k is the multiplier wanted.
func scaledBy(s *fuseState, u *ir.Value, user *ir.Node, k, div float64) (*ir.Value, *ir.Node) {
	if m := soleProducer(s, u, "Mul", user); m != nil {
		for i := range 2 {
			if isScalarValue(m.Inputs[1-i], k) && !isScalarValue(m.Inputs[i], k) {
				return m.Inputs[i], m
			}
		}
	}
	if div != 0 {
		if d := soleProducer(s, u, "Div", user); d != nil && isScalarValue(d.In(1), div) {
			return d.In(0), d
		}
	}
	return nil, nil
}

// geluErfHead matches Erf(x/√2) and returns x.
func geluErfHead(s *fuseState, erf *ir.Node) (*ir.Value, []*ir.Node) {
	x, scale := scaledBy(s, erf.In(0), erf, 1/math.Sqrt2, math.Sqrt2)
	if x == nil {
		return nil, nil
	}
	return x, []*ir.Node{scale, erf}
}

// geluTanhHead matches Tanh(√(2/π)·(x + 0.044715·x³)) and returns x.
func geluTanhHead(s *fuseState, th *ir.Node) (*ir.Value, []*ir.Node) {
	v, scale := scaledBy(s, th.In(0), th, math.Sqrt(2/math.Pi), 0)
	if v == nil {
		return nil, nil
	}
	add := soleProducer(s, v, "Add", scale)
	if add == nil {
		add = soleProducer(s, v, "Sum", scale)
	}
	if add == nil || len(add.Inputs) != 2 {
		return nil, nil
	}
	for i := range 2 {
		x, w := add.Inputs[i], add.Inputs[1-i]
		cube, coef := scaledBy(s, w, add, 0.044715, 0)
		if cube == nil {
			continue
		}
		if cn := geluCube(s, cube, coef, x); cn != nil {
			return x, append(cn, coef, add, scale, th)
		}
	}
	return nil, nil
}

// geluCube matches x³ (used only by user) and returns its nodes.
func geluCube(s *fuseState, v *ir.Value, user *ir.Node, x *ir.Value) []*ir.Node {
	if p := soleProducer(s, v, "Pow", user); p != nil && p.In(0) == x && isScalarValue(p.In(1), 3) {
		return []*ir.Node{p}
	}
	if p := soleProducer(s, v, "Pow", user); p != nil && p.In(0) == x {
		if e := p.In(1); e != nil && e.Const != nil && e.Const.Len() == 1 {
			if iv, err := e.Const.Int64s(); err == nil && iv[0] == 3 {
				return []*ir.Node{p}
			}
		}
	}
	m := soleProducer(s, v, "Mul", user)
	if m == nil {
		return nil
	}
	for i := range 2 {
		if m.Inputs[i] != x {
			continue
		}
		if sq := soleProducer(s, m.Inputs[1-i], "Mul", m); sq != nil && sq.In(0) == x && sq.In(1) == x {
			return []*ir.Node{sq, m}
		}
	}
	return nil
}

// geluTail matches 0.5·x·(1 + h), where h is the head's output, and returns
// the node producing the result plus every node of the tail.
func geluTail(s *fuseState, x, h *ir.Value) (*ir.Node, []*ir.Node) {
	one := s.soleUser(h)
	if !isAddLike(one) || !isScalarValue(other(one, h), 1) {
		return nil, nil
	}
	t := one.Out(0)
	u := s.soleUser(t)
	if !isOp(u, "Mul") {
		return nil, nil
	}
	o := other(u, t)
	if o == nil {
		return nil, nil
	}
	// (x·(1+h))·0.5 or ((1+h)·0.5)·x
	for _, want := range []struct {
		first  func(*ir.Value) bool
		second func(*ir.Value) bool
	}{
		{func(v *ir.Value) bool { return v == x }, func(v *ir.Value) bool { return isScalarValue(v, 0.5) }},
		{func(v *ir.Value) bool { return isScalarValue(v, 0.5) }, func(v *ir.Value) bool { return v == x }},
	} {
		if !want.first(o) {
			continue
		}
		v := s.soleUser(u.Out(0))
		if isOp(v, "Mul") && want.second(other(v, u.Out(0))) {
			return v, []*ir.Node{one, u, v}
		}
	}
	// (1+h)·(x·0.5)
	if half := soleProducer(s, o, "Mul", u); half != nil {
		for i := range 2 {
			if half.Inputs[i] == x && isScalarValue(half.Inputs[1-i], 0.5) {
				return u, []*ir.Node{one, half, u}
			}
		}
	}
	return nil, nil
}

// isFloatType reports whether v is a tensor of a floating-point dtype.
func isFloatType(v *ir.Value) bool {
	if v == nil || v.Type.Kind != ir.KindTensor {
		return false
	}
	for _, d := range ir.FloatTypes {
		if v.Type.DType == d {
			return true
		}
	}
	return false
}

// isAddLike reports whether n adds two values (Add, or Sum of two).
func isAddLike(n *ir.Node) bool {
	return isOp(n, "Add") || (isOp(n, "Sum") && len(n.Inputs) == 2)
}

// scalarValue returns the value of a one-element float value known at
// compile time: a constant, CastLike of one to a float type, or Sqrt of
// one (as ONNX function bodies write their constants).
func scalarValue(v *ir.Value) (float64, bool) {
	return scalarValueDepth(v, 0)
}

func scalarValueDepth(v *ir.Value, depth int) (float64, bool) {
	if x, ok := scalarConst(v); ok {
		return x, true
	}
	if v == nil || depth > 4 || !isFloatType(v) {
		return 0, false
	}
	switch p := v.Producer; {
	case isOp(p, "CastLike") && len(p.Outputs) == 1:
		return scalarValueDepth(p.In(0), depth+1)
	case isOp(p, "Sqrt"):
		if x, ok := scalarValueDepth(p.In(0), depth+1); ok && x >= 0 {
			return math.Sqrt(x), true
		}
	}
	return 0, false
}

// isScalarValue reports whether v is a compile-time scalar close to want.
func isScalarValue(v *ir.Value, want float64) bool {
	x, ok := scalarValue(v)
	return ok && near(x, want)
}
