package passes

import (
	"sort"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// fuseElementwise groups chains and trees of float32 elementwise ops into
// one nncc.FusedElementwise node, which evaluates them in a single pass
// over memory in cache-sized chunks instead of one pass (and one
// intermediate tensor) per op.
//
// The ops are those kernels.ElementwiseInstr accepts: Add, Sub, Mul and Div
// (either operand may broadcast: a scalar, a per-channel or per-row vector,
// or any other shape that broadcasts to the result), the unary math ops
// and activations with a float32 kernel (Relu, Sigmoid, Tanh, Exp, Neg,
// Sqrt, Erf, Gelu, …) and Clip with constant bounds. Starting from the last
// op of a group, the pass absorbs the producer of an operand when that
// producer is such an op too, its result has exactly the group's result
// shape (no broadcast happens inside a group), and that result has no
// other use and is not a graph output: intermediate values with a second
// consumer are kept, and so are the graph's outputs. A group of one op is
// left alone.
//
// Nor is a chain that computes attention scores of a symbolic shape
// (attentionScores): the graph is optimised once with symbolic shapes
// (a dynamic batch or sequence axis) and again for each set of concrete
// input shapes, and the attention pass, which needs static shapes, must
// find the scaling and masking ops still there the second time.
func fuseElementwise(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	instrs := map[*ir.Node]ewInstr{}
	pos := map[*ir.Node]int{}
	for i, n := range g.Nodes {
		pos[n] = i
		if in, ok := elementwiseInstr(n); ok {
			instrs[n] = in
		}
	}
	taken := map[*ir.Node]bool{}
	replaced := map[*ir.Node]*ir.Node{} // group root → fused node
	for i := len(g.Nodes) - 1; i >= 0; i-- {
		root := g.Nodes[i]
		if _, ok := instrs[root]; !ok || taken[root] || attentionScores(s, root) {
			continue
		}
		group := []*ir.Node{root}
		for k := 0; k < len(group); k++ {
			x := group[k]
			for _, v := range x.Inputs[:instrs[x].operands] {
				p := v.Producer
				if p == nil || taken[p] || s.soleUser(v) != x || !sameStaticShape(v.Type, root.Out(0).Type) {
					continue
				}
				if _, ok := instrs[p]; ok && !contains2(group, p) {
					group = append(group, p)
				}
			}
		}
		if len(group) < 2 {
			continue
		}
		for _, n := range group {
			taken[n] = true
		}
		sort.Slice(group, func(a, b int) bool { return pos[group[a]] < pos[group[b]] })
		f, err := fusedElementwiseNode(s, group, instrs)
		if err != nil {
			return err
		}
		replaced[root] = f
	}
	if len(replaced) == 0 {
		return nil
	}
	kept := g.Nodes[:0]
	for _, n := range g.Nodes {
		switch {
		case replaced[n] != nil:
			f := replaced[n]
			f.Outputs = n.Outputs
			f.Outputs[0].Producer, f.Outputs[0].Index = f, 0
			kept = append(kept, f)
		case taken[n]:
		default:
			kept = append(kept, n)
		}
	}
	for i := len(kept); i < len(g.Nodes); i++ {
		g.Nodes[i] = nil
	}
	g.Nodes = kept
	useFusedDomain(g)
	for _, f := range replaced {
		if err := ir.InferNode(f); err != nil {
			return err
		}
	}
	return nil
}

// ewInstr is an op's form as an instruction of nncc.FusedElementwise.
type ewInstr struct {
	name     string
	params   [ir.FusedElementwiseParams]float32
	operands int
}

// elementwiseInstr reports whether n is a float32 elementwise op the
// fused kernel can run.
func elementwiseInstr(n *ir.Node) (ewInstr, bool) {
	name, params, operands, ok := kernels.ElementwiseInstr(n)
	if !ok || !isFloat32(n.Out(0)) || !n.Out(0).Type.RankKnown || len(n.Inputs) < operands {
		return ewInstr{}, false
	}
	for _, v := range n.Inputs[:operands] {
		if !isFloat32(v) || !v.Type.RankKnown {
			return ewInstr{}, false
		}
	}
	return ewInstr{name, params, operands}, true
}

// fusedElementwiseNode builds the FusedElementwise node computing group
// (in node order; the last is the root).
func fusedElementwiseNode(s *fuseState, group []*ir.Node, instrs map[*ir.Node]ewInstr) (*ir.Node, error) {
	root := group[len(group)-1]
	result := map[*ir.Value]int{} // value → instruction index
	for k, n := range group {
		result[n.Out(0)] = k
	}
	var inputs []*ir.Value
	inputIndex := map[*ir.Value]int{}
	for _, n := range group {
		for _, v := range n.Inputs[:instrs[n].operands] {
			if _, internal := result[v]; internal {
				continue
			}
			if _, ok := inputIndex[v]; !ok {
				inputIndex[v] = len(inputs)
				inputs = append(inputs, v)
			}
		}
	}
	var ops []string
	var args []int64
	var params []float32
	for _, n := range group {
		in := instrs[n]
		ops = append(ops, in.name)
		params = append(params, in.params[:]...)
		refs := [2]int64{-1, -1}
		for j, v := range n.Inputs[:in.operands] {
			if k, internal := result[v]; internal {
				refs[j] = int64(len(inputs) + k)
			} else {
				refs[j] = int64(inputIndex[v])
			}
		}
		args = append(args, refs[:]...)
	}
	a := ir.Attrs{
		"ops":    &ir.Attr{Name: "ops", Kind: ir.AttrStrings, Strings: ops},
		"args":   &ir.Attr{Name: "args", Kind: ir.AttrInts, Ints: args},
		"params": &ir.Attr{Name: "params", Kind: ir.AttrFloats, Floats: params},
	}
	if err := ir.CheckFusedElementwise(a, len(inputs)); err != nil {
		return nil, err
	}
	return &ir.Node{Name: s.name(root.Name + "_fused"), Op: "FusedElementwise", Domain: ir.FusedDomain, Opset: 1,
		Inputs: inputs, Attrs: a}, nil
}

func contains2(list []*ir.Node, n *ir.Node) bool {
	for _, m := range list {
		if m == n {
			return true
		}
	}
	return false
}

// attentionScores reports whether n's result, of a shape not yet static,
// reaches the input of a Softmax through sole uses by the ops that scale
// and mask scores in fuseAttention's pattern (Mul, Div, Add, Where): the
// scores of an attention block that fuseAttention may take once the
// shapes are concrete.
func attentionScores(s *fuseState, n *ir.Node) bool {
	v := n.Out(0)
	if _, static := staticShape(v); static {
		return false
	}
	for range 4 { // scale, two masks, a Where
		u := s.soleUser(v)
		switch {
		case isOp(u, "Softmax"):
			return true
		case isOp(u, "Mul") || isOp(u, "Div") || isOp(u, "Add") || isOp(u, "Where"):
			v = u.Out(0)
		default:
			return false
		}
	}
	return false
}
