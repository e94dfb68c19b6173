package passes

import "github.com/nncc/nncc/ir"

func init() {
	goldenCases = append(goldenCases, goldenCase{"inline_if_nested", "inline-if", buildInlineIf})
}

// buildInlineIf: an If on a constant condition whose then_branch holds
// an If on a shape test (Size(x) == 6, constant once folded) and yields
// that If's output, one of its own constants and the outer x. The first
// becomes the Relu's output itself, the constant replaces its uses, and x
// reaches the graph output through an Identity (the output keeps its
// name). The branch's "a" meets a graph value "a" and is renamed.
func buildInlineIf() *ir.Graph {
	g := &ir.Graph{Name: "inline_if", Opsets: map[string]int64{"": 17}}
	x := &ir.Value{Name: "x", Type: ir.TensorType(ir.Float32, 2, 3)}
	g.Inputs = []*ir.Value{x}
	node := func(sg *ir.Graph, op, out string, attrs ir.Attrs, ins ...*ir.Value) []*ir.Value {
		if attrs == nil {
			attrs = ir.Attrs{}
		}
		n := &ir.Node{Name: op + "_" + out, Op: op, Opset: 17, Inputs: ins, Attrs: attrs}
		for i := range 3 {
			if op == "If" || i == 0 {
				n.Outputs = append(n.Outputs, &ir.Value{Name: out + []string{"", "_1", "_2"}[i]})
			}
		}
		if op == "If" && len(attrs["then_branch"].G.Outputs) == 1 {
			n.Outputs = n.Outputs[:1]
		}
		sg.AddNode(n)
		return n.Outputs
	}
	konst := func(sg *ir.Graph, name string, t *ir.Tensor) *ir.Value {
		v := &ir.Value{Name: name, Type: ir.TypeOfTensor(t), Const: t}
		sg.Constants = append(sg.Constants, v)
		return v
	}
	branches := func(then, els *ir.Graph) ir.Attrs {
		return ir.Attrs{"then_branch": {Name: "then_branch", Kind: ir.AttrGraph, G: then},
			"else_branch": {Name: "else_branch", Kind: ir.AttrGraph, G: els}}
	}
	a := node(g, "Sigmoid", "a", nil, x)[0]

	then := &ir.Graph{Name: "then"}
	c1 := konst(then, "c1", ir.FromSlice([]float32{1, 2, 3}, 3))
	ba := node(then, "Add", "a", nil, x, c1)[0]
	six := konst(then, "six", ir.Scalar(int64(6)))
	e := node(then, "Equal", "e", nil, node(then, "Size", "s", nil, x)[0], six)[0]
	innerThen := &ir.Graph{Name: "inner_then"}
	innerThen.Outputs = node(innerThen, "Relu", "r", nil, ba)
	innerElse := &ir.Graph{Name: "inner_else"}
	innerElse.Outputs = node(innerElse, "Neg", "n", nil, ba)
	ri := node(then, "If", "ri", branches(innerThen, innerElse), e)[0]
	then.Outputs = []*ir.Value{ri, c1, x}

	els := &ir.Graph{Name: "else"}
	c2 := konst(els, "c2", ir.FromSlice([]float32{-1, -2, -3}, 3))
	els.Outputs = []*ir.Value{node(els, "Neg", "m", nil, x)[0], c2, x}

	cond := konst(g, "cond", ir.FromSlice([]bool{true}, 1))
	ys := node(g, "If", "y", branches(then, els), cond)
	m := node(g, "Mul", "prod", nil, a, ys[1])[0]
	g.Outputs = []*ir.Value{ys[0], m, ys[2]}
	return g
}
