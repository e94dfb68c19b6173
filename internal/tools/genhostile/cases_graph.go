package main

import (
	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// graphOf is a graph with input x: float[4], the given nodes and output y.
func graphOf(nodes ...*pb.NodeProto) *pb.GraphProto {
	return &pb.GraphProto{
		Name:   "g",
		Input:  []*pb.ValueInfoProto{vi("x", ir.Float32, 4)},
		Node:   nodes,
		Output: []*pb.ValueInfoProto{vi("y", ir.Float32, 4)},
	}
}

func graphModel(c *caseDir, nodes ...*pb.NodeProto) error {
	return c.writeModel(model(graphOf(nodes...)), x4())
}

// nestedIf returns a graph nested depth If nodes deep: each then_branch
// holds the next If, each else_branch (and the innermost then_branch) is
// Identity(x).
func nestedIf(depth int) *pb.GraphProto {
	leaf := func() *pb.GraphProto {
		return &pb.GraphProto{Name: "leaf", Node: []*pb.NodeProto{node("Identity", ss("x"), ss("y"))}, Output: []*pb.ValueInfoProto{{Name: "y"}}}
	}
	inner := leaf()
	for i := 0; i < depth; i++ {
		inner = &pb.GraphProto{Name: "b", Node: []*pb.NodeProto{
			node("If", ss("c"), ss("y"), graphAttr("then_branch", inner), graphAttr("else_branch", leaf())),
		}, Output: []*pb.ValueInfoProto{{Name: "y"}}}
	}
	return inner
}

// graphCases break the graph structure.
var graphCases = []hostileCase{
	{Name: "graph_cycle", Group: "graph structure", What: "two nodes feeding each other (a = b + x, b = a + x)", Expect: "cycle",
		build: func(c *caseDir) error {
			return graphModel(c, node("Add", ss("b", "x"), ss("a")), node("Add", ss("a", "x"), ss("b")), node("Identity", ss("a"), ss("y")))
		}},
	{Name: "graph_self_loop", Group: "graph structure", What: "a node that reads its own output", Expect: "uses its own output",
		build: func(c *caseDir) error { return graphModel(c, node("Add", ss("x", "y"), ss("y"))) }},
	{Name: "graph_duplicate_output", Group: "graph structure", What: "two nodes produce the same output name", Expect: "produced by both",
		build: func(c *caseDir) error {
			return graphModel(c, node("Relu", ss("x"), ss("y")), &pb.NodeProto{OpType: "Neg", Name: "neg", Input: ss("x"), Output: ss("y")})
		}},
	{Name: "graph_output_shadows_initializer", Group: "graph structure", What: "a node output named like an initializer", Expect: "defined twice",
		build: func(c *caseDir) error {
			g := graphOf(node("Relu", ss("x"), ss("w")), node("Add", ss("w", "x"), ss("y")))
			g.Initializer = []*pb.TensorProto{floats("w", []int64{4}, 1, 2, 3, 4)}
			return c.writeModel(model(g), x4())
		}},
	{Name: "graph_duplicate_graph_output", Group: "graph structure", What: "the graph lists output y twice", Expect: "listed twice",
		build: func(c *caseDir) error {
			g := graphOf(node("Relu", ss("x"), ss("y")))
			g.Output = append(g.Output, vi("y", ir.Float32, 4))
			return c.writeModel(model(g), x4())
		}},
	{Name: "graph_duplicate_input", Group: "graph structure", What: "the graph declares input x twice", Expect: "listed twice",
		build: func(c *caseDir) error {
			g := graphOf(node("Relu", ss("x"), ss("y")))
			g.Input = append(g.Input, vi("x", ir.Float32, 4))
			return c.writeModel(model(g), x4(), x4())
		}},
	{Name: "graph_duplicate_initializer", Group: "graph structure", What: "two initializers named w", Expect: "defined twice",
		build: func(c *caseDir) error {
			g := graphOf(node("Add", ss("x", "w"), ss("y")))
			g.Initializer = []*pb.TensorProto{floats("w", []int64{4}, 1, 2, 3, 4), floats("w", []int64{4}, 1, 2, 3, 4)}
			return c.writeModel(model(g), x4())
		}},
	{Name: "graph_use_before_def", Group: "graph structure", What: "a node reads a name nothing defines", Expect: "is not defined",
		build: func(c *caseDir) error { return graphModel(c, node("Add", ss("x", "ghost"), ss("y"))) }},
	{Name: "graph_output_undefined", Group: "graph structure", What: "a graph output nothing produces", Expect: "is not defined",
		build: func(c *caseDir) error { return graphModel(c, node("Relu", ss("x"), ss("z"))) }},
	{Name: "graph_no_op_type", Group: "graph structure", What: "a node without op_type", Expect: "no op_type",
		build: func(c *caseDir) error { return graphModel(c, &pb.NodeProto{Input: ss("x"), Output: ss("y")}) }},
	{Name: "graph_unnamed_initializer", Group: "graph structure", What: "an initializer without a name", Expect: "without a name",
		build: func(c *caseDir) error {
			g := graphOf(node("Relu", ss("x"), ss("y")))
			g.Initializer = []*pb.TensorProto{floats("", []int64{1}, 1)}
			return c.writeModel(model(g), x4())
		}},
	{Name: "graph_deep_nesting", Group: "graph structure", What: "If nested 200 deep (limit 64)", Expect: "MaxNesting",
		build: func(c *caseDir) error {
			g := nestedIf(200)
			g.Name = "g"
			g.Input = []*pb.ValueInfoProto{vi("x", ir.Float32, 4), vi("c", ir.Bool)}
			return c.writeModel(model(g), x4(), bools("c", true))
		}},
	{Name: "graph_deep_nesting_proto", Group: "graph structure", What: "graph attributes nested 3500 deep (beyond protobuf's recursion limit of 10000 messages)", Expect: "not a valid ONNX model",
		build: func(c *caseDir) error {
			g := &pb.GraphProto{}
			for i := 0; i < 3500; i++ {
				g = &pb.GraphProto{Node: []*pb.NodeProto{{OpType: "If", Attribute: []*pb.AttributeProto{{Name: "b", Type: pb.AttributeProto_GRAPH, G: g}}}}}
			}
			return c.writeModel(model(g))
		}},
	{Name: "graph_function_bomb", Group: "graph structure", What: "model-local functions each calling the next 8 times, 12 levels: 8^12 nodes after inlining from a 2 KiB file", Expect: "MaxNodes",
		build: func(c *caseDir) error {
			m := model(graphOf(&pb.NodeProto{OpType: "F0", Domain: "bomb", Name: "call", Input: ss("x"), Output: ss("y")}))
			m.OpsetImport = append(m.OpsetImport, &pb.OperatorSetIdProto{Domain: "bomb", Version: 1})
			const levels = 12
			for l := 0; l < levels; l++ {
				f := &pb.FunctionProto{Name: "F" + itoa(l), Domain: "bomb", Input: ss("a"), Output: ss("b"),
					OpsetImport: []*pb.OperatorSetIdProto{{Domain: "", Version: opset}, {Domain: "bomb", Version: 1}}}
				prev := "a"
				for k := 0; k < 8; k++ {
					out := "t" + itoa(k)
					if k == 7 {
						out = "b"
					}
					op, dom := "F"+itoa(l+1), "bomb"
					if l == levels-1 {
						op, dom = "Relu", ""
					}
					f.Node = append(f.Node, &pb.NodeProto{OpType: op, Domain: dom, Input: ss(prev), Output: ss(out)})
					prev = out
				}
				m.Functions = append(m.Functions, f)
			}
			return c.writeModel(m, x4())
		}},
	{Name: "graph_function_tensor_bomb", Group: "graph structure", What: "a function holding a 60 KiB constant, called 8^6 times through nested functions (16 GiB of copies)", Expect: "MaxTensorBytes",
		build: func(c *caseDir) error {
			m := model(graphOf(&pb.NodeProto{OpType: "F0", Domain: "bomb", Name: "call", Input: ss("x"), Output: ss("y")}))
			m.OpsetImport = append(m.OpsetImport, &pb.OperatorSetIdProto{Domain: "bomb", Version: 1})
			const levels = 6
			imports := []*pb.OperatorSetIdProto{{Domain: "", Version: opset}, {Domain: "bomb", Version: 1}}
			for l := 0; l < levels; l++ {
				f := &pb.FunctionProto{Name: "F" + itoa(l), Domain: "bomb", Input: ss("a"), Output: ss("b"), OpsetImport: imports}
				prev := "a"
				for k := 0; k < 8; k++ {
					out := "t" + itoa(k)
					if k == 7 {
						out = "b"
					}
					f.Node = append(f.Node, &pb.NodeProto{OpType: "F" + itoa(l+1), Domain: "bomb", Input: ss(prev), Output: ss(out)})
					prev = out
				}
				m.Functions = append(m.Functions, f)
			}
			big := &pb.TensorProto{Name: "k", DataType: int32(ir.Float32), Dims: []int64{15 << 10}, RawData: make([]byte, 60<<10)}
			m.Functions = append(m.Functions, &pb.FunctionProto{Name: "F" + itoa(levels), Domain: "bomb", Input: ss("a"), Output: ss("b"), OpsetImport: imports,
				Node: []*pb.NodeProto{node("Constant", nil, ss("k"), tensorAttr("value", big)), node("Identity", ss("a"), ss("b"))}})
			return c.writeModel(m, x4())
		}},
	{Name: "graph_function_recursive", Group: "graph structure", What: "a model-local function that calls itself", Expect: "MaxNesting",
		build: func(c *caseDir) error {
			m := model(graphOf(&pb.NodeProto{OpType: "R", Domain: "rec", Name: "call", Input: ss("x"), Output: ss("y")}))
			m.OpsetImport = append(m.OpsetImport, &pb.OperatorSetIdProto{Domain: "rec", Version: 1})
			m.Functions = []*pb.FunctionProto{{Name: "R", Domain: "rec", Input: ss("a"), Output: ss("b"),
				OpsetImport: []*pb.OperatorSetIdProto{{Domain: "rec", Version: 1}},
				Node:        []*pb.NodeProto{{OpType: "R", Domain: "rec", Input: ss("a"), Output: ss("b")}}}}
			return c.writeModel(m, x4())
		}},
	{Name: "graph_value_info_lies", Group: "graph structure", What: "value_info declares the intermediate t as int8[2^40] (really float[4])", Outcome: "runs",
		build: func(c *caseDir) error {
			g := graphOf(node("Relu", ss("x"), ss("t")), node("Neg", ss("t"), ss("y")))
			g.ValueInfo = []*pb.ValueInfoProto{vi("t", ir.Int8, int64(1)<<40)}
			return c.writeModel(model(g), x4())
		}},
	{Name: "graph_output_type_lies", Group: "graph structure", What: "the graph output is declared int64[3] but computes float[4]", Outcome: "runs",
		build: func(c *caseDir) error {
			g := graphOf(node("Relu", ss("x"), ss("y")))
			g.Output = []*pb.ValueInfoProto{vi("y", ir.Int64, 3)}
			return c.writeModel(model(g), x4())
		}},
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
