package passes

import "github.com/nncc/nncc/ir"

// sinkTransposes moves a Transpose down through a chain of elementwise ops
// whose other operands are constants when the chain ends in another
// Transpose, so that the "transpose" pass composes the two (and drops the
// pair when they cancel). tf2onnx writes such round trips around ops on
// the channel axis of NHWC models:
//
//	Transpose(perm q) ∘ Mul(·, c) ∘ Transpose(perm p)  (x)
//	  = Transpose(perm q) ∘ Transpose(perm p) ∘ Mul(·, c')  (x)
//
// where c' is c broadcast to the rank of x and moved by the inverse of p
// (c'[p[i]] has the extent of c's axis i). Only constants whose non-unit
// axes keep their order under the permutation qualify, so c' is a reshape
// of c's data. Every intermediate value must have the chain as its only
// user and not be a graph output.
func sinkTransposes(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for changed := true; changed; {
		changed = false
		for _, t := range g.Nodes {
			if isOp(t, "Transpose") && sinkOneTranspose(s, t) {
				s.refresh()
				changed = true
				break
			}
		}
	}
	return nil
}

// sinkUnary lists the elementwise ops of one tensor input (any further
// inputs are constant scalars such as Clip's bounds) that commute with a
// Transpose.
var sinkUnary = map[string]bool{
	"Relu": true, "LeakyRelu": true, "Sigmoid": true, "Tanh": true, "Exp": true, "Neg": true,
	"Abs": true, "Sqrt": true, "Erf": true, "Clip": true, "Elu": true, "Selu": true,
	"HardSigmoid": true, "HardSwish": true, "Softplus": true, "Gelu": true, "Reciprocal": true,
}

// sinkBinary lists the broadcasting binary ops that commute with a
// Transpose when their other operand is moved with it.
var sinkBinary = map[string]bool{"Add": true, "Sub": true, "Mul": true, "Div": true, "Max": true, "Min": true}

// sinkOneTranspose rewrites the chain below t when it qualifies.
func sinkOneTranspose(s *fuseState, t *ir.Node) bool {
	perm, ok := transposePerm(t)
	if !ok || !t.In(0).Type.RankKnown || len(perm) != t.In(0).Type.Rank() {
		return false
	}
	r := len(perm)
	var chain []*ir.Node
	v := t.Out(0)
	for {
		u := s.soleUser(v)
		if u == nil {
			return false
		}
		if isOp(u, "Transpose") {
			break
		}
		if !sinkable(u, v, r) {
			return false
		}
		chain = append(chain, u)
		v = u.Out(0)
	}
	if len(chain) == 0 {
		return false
	}
	// Moved constants, decided before anything is rewritten.
	repl := map[*ir.Value]*ir.Value{}
	for _, n := range chain {
		if !sinkBinary[n.Op] {
			continue
		}
		for _, in := range n.Inputs {
			if in.Const == nil || repl[in] != nil {
				continue
			}
			moved, ok := movedConst(in.Const, perm)
			if !ok {
				return false
			}
			if moved == in.Const {
				repl[in] = in
			} else {
				repl[in] = s.constant(in.Name+"_moved", moved)
			}
		}
	}
	x, mid, last := t.In(0), t.Out(0), chain[len(chain)-1]
	prev := x
	for _, n := range chain {
		ins := append([]*ir.Value{}, n.Inputs...)
		for i, in := range ins {
			switch {
			case in == mid:
				ins[i] = prev
			case repl[in] != nil:
				ins[i] = repl[in]
			}
		}
		n.Inputs = ins
		prev = n.Out(0)
	}
	// t now reads the chain's result and feeds the chain's old user.
	end := last.Out(0)
	user := s.soleUser(end)
	t.Inputs = []*ir.Value{end}
	uins := append([]*ir.Value{}, user.Inputs...)
	for i, in := range uins {
		if in == end {
			uins[i] = mid
		}
	}
	user.Inputs = uins
	moveBefore(s.g, user, t)
	for _, n := range chain {
		if err := ir.InferNode(n); err != nil {
			panic("BUG: sinkTransposes: " + err.Error())
		}
	}
	if err := ir.InferNode(t); err != nil {
		panic("BUG: sinkTransposes: " + err.Error())
	}
	return true
}

// sinkable reports whether n is an elementwise op whose input v is the
// tensor operand and whose other inputs are constants of rank ≤ r.
func sinkable(n *ir.Node, v *ir.Value, r int) bool {
	if n.Domain != "" || len(n.Outputs) != 1 || !isFloat32(v) {
		return false
	}
	switch {
	case sinkUnary[n.Op]:
		if n.In(0) != v {
			return false
		}
		for _, in := range n.Inputs[1:] {
			if in != nil && (in.Const == nil || in.Const.Len() != 1) {
				return false
			}
		}
		return true
	case sinkBinary[n.Op]:
		if len(n.Inputs) != 2 {
			return false
		}
		o := other(n, v)
		return o != nil && o.Const != nil && o.Const.Kind == ir.KindTensor && len(o.Const.Shape) <= r
	}
	return false
}

// movedConst returns c, right-aligned to rank len(perm), with its axis i
// moved to perm[i]: the operand that broadcasts against x the way c did
// against Transpose(x, perm). It fails unless the non-unit axes keep their
// order, so the data is shared.
func movedConst(c *ir.Tensor, perm []int64) (*ir.Tensor, bool) {
	r := len(perm)
	if c.Len() == 1 {
		return c, true
	}
	aligned := make([]int64, r)
	for i := range aligned {
		aligned[i] = 1
	}
	copy(aligned[r-len(c.Shape):], c.Shape)
	shape := make([]int64, r)
	for i, p := range perm {
		shape[p] = aligned[i]
	}
	// Non-unit axes of aligned, in order, must land in increasing positions.
	last := int64(-1)
	for i, d := range aligned {
		if d == 1 {
			continue
		}
		if perm[i] < last {
			return nil, false
		}
		last = perm[i]
	}
	out := c.Clone()
	out.Shape = shape
	return out, true
}

// moveBefore moves node n to just before node at in g's order (n must not
// be used by any node between them).
func moveBefore(g *ir.Graph, at, n *ir.Node) {
	removeNodes(g, map[*ir.Node]bool{n: true})
	insertBefore(g, at, n)
}
