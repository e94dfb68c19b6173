package passes

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// Helpers shared by the fusion passes (fuse_*.go): use counts, constant
// matching, naming, and the rewiring that lets a producer take over its
// consumer's output.

// fuseState caches per-graph facts a fusion pass reads; refresh it after
// every rewrite (graphs are small enough that recomputing is cheap and it
// keeps each rewrite obviously correct).
type fuseState struct {
	g     *ir.Graph
	uses  map[*ir.Value]int
	users map[*ir.Value][]*ir.Node
	names map[string]bool
}

func newFuseState(g *ir.Graph) *fuseState {
	s := &fuseState{g: g}
	s.refresh()
	return s
}

func (s *fuseState) refresh() {
	s.uses = s.g.Uses()
	s.users = map[*ir.Value][]*ir.Node{}
	for _, n := range s.g.Nodes {
		for _, in := range n.Inputs {
			if in != nil && (len(s.users[in]) == 0 || s.users[in][len(s.users[in])-1] != n) {
				s.users[in] = append(s.users[in], n)
			}
		}
	}
	if s.names == nil {
		s.names = map[string]bool{}
		mark := func(v *ir.Value) {
			if v != nil {
				s.names[v.Name] = true
			}
		}
		for _, v := range s.g.Inputs {
			mark(v)
		}
		for _, v := range s.g.Constants {
			mark(v)
		}
		for _, n := range s.g.Nodes {
			s.names[n.Name] = true
			for _, o := range n.Outputs {
				mark(o)
			}
		}
	}
}

// soleUser returns the node that is the only use of v (nil when v has
// other uses, is a graph output, or is used inside a nested graph).
func (s *fuseState) soleUser(v *ir.Value) *ir.Node {
	if v == nil || s.uses[v] != 1 || isGraphOutput(s.g, v) {
		return nil
	}
	us := s.users[v]
	if len(us) != 1 {
		return nil
	}
	return us[0]
}

// dropBypassed removes node p, whose single output had one use (counted
// before a rewrite made that user read p's input instead), so that it does
// not linger as a dead user hiding another value's sole use from later
// fusions. p must be free of side effects (a Transpose or Reshape).
func (s *fuseState) dropBypassed(p *ir.Node) {
	if len(p.Outputs) == 1 && s.uses[p.Out(0)] == 1 && !isGraphOutput(s.g, p.Out(0)) {
		removeNodes(s.g, map[*ir.Node]bool{p: true})
	}
}

// name returns a fresh name starting with base (uniqueName).
func (s *fuseState) name(base string) string {
	n := uniqueName(s.names, base)
	s.names[n] = true
	return n
}

// castNode returns a Cast of in to dtype to, named name, writing out (nil
// when replaceNode will give it the outputs of the node it replaces).
func castNode(g *ir.Graph, name string, in, out *ir.Value, to ir.DType) *ir.Node {
	n := &ir.Node{Name: name, Op: "Cast", Opset: onnxOpset(g, 13), Inputs: []*ir.Value{in}, Attrs: ir.Attrs{}}
	if out != nil {
		n.Outputs = []*ir.Value{out}
	}
	n.Attrs.SetInt("to", int64(to))
	return n
}

// constant adds a new constant to the graph.
func (s *fuseState) constant(base string, t *ir.Tensor) *ir.Value {
	v := &ir.Value{Name: s.name(base), Type: ir.TypeOfTensor(t), Const: t}
	s.g.Constants = append(s.g.Constants, v)
	return v
}

// isOp reports whether n is the default-domain op named op.
func isOp(n *ir.Node, op string) bool {
	return n != nil && n.Domain == "" && n.Op == op
}

// isFusedOp reports whether n is the nncc-domain op op (ir.FusedDomain).
func isFusedOp(n *ir.Node, op string) bool {
	return n != nil && n.Domain == ir.FusedDomain && n.Op == op
}

// producerOf returns v's producer if it is the default-domain op op.
func producerOf(v *ir.Value, op string) *ir.Node {
	if v == nil || !isOp(v.Producer, op) {
		return nil
	}
	return v.Producer
}

// other returns the input of a binary node that is not v (nil when both
// or neither are v).
func other(n *ir.Node, v *ir.Value) *ir.Value {
	if len(n.Inputs) != 2 {
		return nil
	}
	switch {
	case n.Inputs[0] == v && n.Inputs[1] != v:
		return n.Inputs[1]
	case n.Inputs[1] == v && n.Inputs[0] != v:
		return n.Inputs[0]
	}
	return nil
}

// floatConst returns the float32 data of a constant value.
func floatConst(v *ir.Value) ([]float32, bool) {
	if v == nil || v.Const == nil || v.Const.Kind != ir.KindTensor || v.Const.DType != ir.Float32 {
		return nil, false
	}
	return v.Const.F32(), true
}

// scalarConst returns the value of a one-element float constant.
func scalarConst(v *ir.Value) (float64, bool) {
	if v == nil || v.Const == nil || v.Const.Kind != ir.KindTensor || v.Const.Len() != 1 {
		return 0, false
	}
	switch d := v.Const.Data.(type) {
	case []float32:
		return float64(d[0]), true
	case []float64:
		return d[0], true
	}
	return 0, false
}

// near reports whether x is within a relative 1e-4 of want.
func near(x, want float64) bool {
	return math.Abs(x-want) <= 1e-4*math.Abs(want)
}

// isScalarConst reports whether v is a one-element constant close to want.
func isScalarConst(v *ir.Value, want float64) bool {
	x, ok := scalarConst(v)
	return ok && near(x, want)
}

// constInts returns the values of a constant integer tensor (any integer
// dtype, widened to int64).
func constInts(v *ir.Value) ([]int64, bool) {
	if v == nil || v.Const == nil || v.Const.Kind != ir.KindTensor {
		return nil, false
	}
	x, err := v.Const.Int64s()
	return x, err == nil
}

// isFloat32 reports whether v is a float32 tensor.
func isFloat32(v *ir.Value) bool {
	return v != nil && v.Type.Kind == ir.KindTensor && v.Type.DType == ir.Float32
}

// sameStaticShape reports whether two types have the same rank and dims
// that are provably equal (equal sizes or the same symbol).
func sameStaticShape(a, b ir.Type) bool {
	if !a.RankKnown || !b.RankKnown || len(a.Shape) != len(b.Shape) {
		return false
	}
	for i, d := range a.Shape {
		if !sameDim(d, b.Shape[i]) {
			return false
		}
	}
	return true
}

// sameDim reports whether two dims are provably equal.
func sameDim(a, b ir.Dim) bool {
	if a.Known() || b.Known() {
		return a.Known() && b.Known() && a.Size == b.Size
	}
	return a.Param != "" && a.Param == b.Param
}

// clipBounds returns a Clip's constant bounds (±Inf where absent):
// attributes before opset 11, optional constant inputs from it on.
func clipBounds(n *ir.Node) (lo, hi float64, ok bool) {
	if n.Opset < 11 {
		return float64(n.Attrs.Float("min", -math.MaxFloat32)), float64(n.Attrs.Float("max", math.MaxFloat32)), true
	}
	lo, hi = math.Inf(-1), math.Inf(1)
	for i, dst := range []*float64{&lo, &hi} {
		v := n.In(i + 1)
		if v == nil {
			continue
		}
		f, ok := scalarConst(v)
		if !ok {
			return 0, 0, false
		}
		*dst = f
	}
	return lo, hi, true
}

// fuseInto makes p produce consumer's output (p's own output, used only
// by consumer, disappears), moves p to consumer's place in the node order
// (so inputs consumer added are defined before it) and deletes consumer.
func fuseInto(g *ir.Graph, p, consumer *ir.Node) {
	out := consumer.Outputs[0]
	p.Outputs[0] = out
	out.Producer, out.Index = p, 0
	kept := g.Nodes[:0]
	for _, n := range g.Nodes {
		switch n {
		case p:
			continue
		case consumer:
			kept = append(kept, p)
		default:
			kept = append(kept, n)
		}
	}
	for i := len(kept); i < len(g.Nodes); i++ {
		g.Nodes[i] = nil
	}
	g.Nodes = kept
}

// replaceNode puts n in old's place; n takes over old's outputs.
func replaceNode(g *ir.Graph, old, n *ir.Node) {
	n.Outputs = old.Outputs
	for i, o := range n.Outputs {
		if o != nil {
			o.Producer, o.Index = n, i
		}
	}
	for i, m := range g.Nodes {
		if m == old {
			g.Nodes[i] = n
		}
	}
}

// insertBefore inserts n into g's node list just before at.
func insertBefore(g *ir.Graph, at, n *ir.Node) {
	for i, m := range g.Nodes {
		if m == at {
			g.Nodes = append(g.Nodes, nil)
			copy(g.Nodes[i+1:], g.Nodes[i:])
			g.Nodes[i] = n
			for j, o := range n.Outputs {
				if o != nil {
					o.Producer, o.Index = n, j
				}
			}
			return
		}
	}
	panic("BUG: insertBefore: node not in graph")
}

// insertAfter inserts n into g's node list just after at.
func insertAfter(g *ir.Graph, at, n *ir.Node) {
	for i, m := range g.Nodes {
		if m == at {
			if i+1 < len(g.Nodes) {
				insertBefore(g, g.Nodes[i+1], n)
				return
			}
			g.Nodes = append(g.Nodes, n)
			for j, o := range n.Outputs {
				if o != nil {
					o.Producer, o.Index = n, j
				}
			}
			return
		}
	}
	panic("BUG: insertAfter: node not in graph")
}

// useFusedDomain records the nncc domain in the graph's opset imports.
func useFusedDomain(g *ir.Graph) {
	if g.Opsets == nil {
		g.Opsets = map[string]int64{}
	}
	if g.Opsets[ir.FusedDomain] == 0 {
		g.Opsets[ir.FusedDomain] = 1
	}
}

// onnxOpset is the opset a node created for op (first defined in
// version min) carries: the graph's, or min if that is older.
func onnxOpset(g *ir.Graph, min int64) int64 {
	return max(min, g.Opset(""))
}

// cloneAttrs copies an attribute map (values are shared, never mutated).
func cloneAttrs(a ir.Attrs) ir.Attrs {
	out := ir.Attrs{}
	for k, v := range a {
		out[k] = v
	}
	return out
}

// FusionPasses names the passes that rewrite the graph into fused forms
// (nncc.FusedGemm/FusedConv, Gelu, LayerNormalization, folded weights and
// transposes). The reference path, which must run the graph as the model
// wrote it, disables them.
func FusionPasses() []string {
	var names []string
	for _, p := range passes {
		if p.fusion {
			names = append(names, p.name)
		}
	}
	return names
}
