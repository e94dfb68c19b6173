package onnx

import (
	"errors"
	"strings"
	"testing"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

func TestDecodeBasic(t *testing.T) {
	g := &onnxpb.GraphProto{
		Name:        "g",
		Input:       []*onnxpb.ValueInfoProto{vi("x", ir.Float32, "N", 3), vi("w", ir.Float32, 3)},
		Initializer: []*onnxpb.TensorProto{floatTensor("w", []int64{3}, 1, 2, 3)},
		Node: []*onnxpb.NodeProto{
			tnd("Add", ss("x", "w"), ss("y"), &onnxpb.AttributeProto{Name: "alpha", Type: onnxpb.AttributeProto_FLOAT, F: 0.5}),
			tnd("Id", ss("y"), ss("z")),
		},
		ValueInfo: []*onnxpb.ValueInfoProto{vi("y", ir.Float32, "N", 3)},
		Output:    []*onnxpb.ValueInfoProto{vi("z", ir.Float32, "N", nil)},
	}
	m := modelOf(g)
	m.ProducerName, m.ProducerVersion = "test", "1.0"
	m.MetadataProps = []*onnxpb.StringStringEntryProto{{Key: "author", Value: "me"}}
	gr, err := Decode(marshal(t, m))
	if err != nil {
		t.Fatal(err)
	}
	if len(gr.Inputs) != 1 || gr.Inputs[0].Name != "x" {
		t.Fatalf("inputs: %v", gr.Inputs)
	}
	if got := gr.Inputs[0].Type.String(); got != "float[N,3]" {
		t.Errorf("input type %s", got)
	}
	if len(gr.Constants) != 1 || gr.Constants[0].Const.F32()[2] != 3 {
		t.Errorf("constants: %v", gr.Constants)
	}
	if len(gr.Nodes) != 2 || gr.Nodes[0].Opset != 4 || gr.Nodes[0].Inputs[1] != gr.Constants[0] {
		t.Fatalf("nodes: %+v", gr.Nodes)
	}
	if gr.Nodes[0].Attrs.Float("alpha", 0) != 0.5 {
		t.Errorf("alpha attr lost")
	}
	if got := gr.Nodes[0].Outputs[0].Type.String(); got != "float[N,3]" {
		t.Errorf("value_info type %s", got)
	}
	if got := gr.Outputs[0].Type.String(); got != "float[N,?]" {
		t.Errorf("output type %s", got)
	}
	if gr.Outputs[0].Producer != gr.Nodes[1] {
		t.Errorf("output producer not wired")
	}
	if gr.Metadata["producer_name"] != "test" || gr.Metadata["author"] != "me" {
		t.Errorf("metadata %v", gr.Metadata)
	}
	if gr.Opsets[""] != 17 || gr.Opsets[testDomain] != 4 {
		t.Errorf("opsets %v", gr.Opsets)
	}
}

func TestDecodeErrors(t *testing.T) {
	base := func() *onnxpb.GraphProto {
		return &onnxpb.GraphProto{
			Input:  []*onnxpb.ValueInfoProto{vi("x", ir.Float32, 2)},
			Output: []*onnxpb.ValueInfoProto{vi("y", ir.Float32, 2)},
		}
	}
	cases := []struct {
		name  string
		nodes []*onnxpb.NodeProto
		opts  []Option
		want  string
	}{
		{"undefined input", []*onnxpb.NodeProto{tnd("Id", ss("nope"), ss("y"))}, nil, `input 0 "nope" is not defined`},
		{"cycle", []*onnxpb.NodeProto{tnd("Add", ss("x", "b"), ss("a")), tnd("Id", ss("a"), ss("b")), tnd("Id", ss("a"), ss("y"))}, nil, "cycle"},
		{"self loop", []*onnxpb.NodeProto{tnd("Add", ss("x", "y"), ss("y"))}, nil, "its own output"},
		{"twice", []*onnxpb.NodeProto{tnd("Id", ss("x"), ss("y")), tnd("Id", ss("x"), ss("y"))}, nil, "produced by both"},
		{"unknown op", []*onnxpb.NodeProto{tnd("Nope", ss("x"), ss("y"))}, nil, "Nope"},
		{"arity", []*onnxpb.NodeProto{tnd("Add", ss("x"), ss("y"))}, nil, "inputs"},
		{"bad attr", []*onnxpb.NodeProto{tnd("Id", ss("x"), ss("y"), &onnxpb.AttributeProto{Name: "q", Type: onnxpb.AttributeProto_INT, I: 1})}, nil, `attribute "q"`},
		{"opset too old", []*onnxpb.NodeProto{tnd("New", ss("x"), ss("y"))}, nil, ""},
		{"nodes limit", []*onnxpb.NodeProto{tnd("Id", ss("x"), ss("a")), tnd("Id", ss("a"), ss("y"))}, []Option{WithLimits(Limits{MaxNodes: 1})}, "MaxNodes"},
		{"not imported", []*onnxpb.NodeProto{{OpType: "X", Domain: "other", Input: ss("x"), Output: ss("y")}}, nil, "not imported"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := base()
			g.Node = c.nodes
			m := modelOf(g)
			if c.name == "opset too old" {
				m.OpsetImport[1].Version = 2
				c.want = "version 2"
			}
			_, err := Decode(marshal(t, m), c.opts...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want error containing %q", err, c.want)
			}
		})
	}
	// Unknown ops are reported as an *OpError wrapping ErrUnknownOp.
	g := base()
	g.Node = []*onnxpb.NodeProto{tnd("Nope", ss("x"), ss("y"))}
	_, err := Decode(marshal(t, modelOf(g)))
	var oe *OpError
	if !errors.As(err, &oe) || !errors.Is(err, ErrUnknownOp) || oe.Op != "Nope" || oe.Domain != testDomain {
		t.Errorf("want OpError for Nope, got %v", err)
	}
	// With SkipOpCheck the graph decodes.
	if _, err := Decode(marshal(t, modelOf(g)), SkipOpCheck()); err != nil {
		t.Errorf("SkipOpCheck: %v", err)
	}
}

func TestTopologicalSort(t *testing.T) {
	g := &onnxpb.GraphProto{
		Input:  []*onnxpb.ValueInfoProto{vi("x", ir.Float32, 2)},
		Output: []*onnxpb.ValueInfoProto{vi("d", ir.Float32, 2)},
		Node: []*onnxpb.NodeProto{
			tnd("Add", ss("b", "c"), ss("d")),
			tnd("Id", ss("a"), ss("c")),
			tnd("Id", ss("a"), ss("b")),
			tnd("Id", ss("x"), ss("a")),
		},
	}
	gr, err := Decode(marshal(t, modelOf(g)))
	if err != nil {
		t.Fatal(err)
	}
	var outs []string
	for _, n := range gr.Nodes {
		outs = append(outs, n.Outputs[0].Name)
	}
	if got := strings.Join(outs, ","); got != "a,c,b,d" {
		t.Errorf("order %s", got)
	}
}

// TestSubgraphScoping checks that subgraph nodes point at outer values and
// that a node is ordered after the producers of the values its subgraph
// captures.
func TestSubgraphScoping(t *testing.T) {
	then := &onnxpb.GraphProto{
		Name:   "then",
		Node:   []*onnxpb.NodeProto{tnd("Add", ss("a", "x"), ss("t"))},
		Output: []*onnxpb.ValueInfoProto{vi("t", ir.Float32, 2)},
	}
	els := &onnxpb.GraphProto{
		Name:   "else",
		Output: []*onnxpb.ValueInfoProto{vi("a", ir.Float32, 2)},
	}
	g := &onnxpb.GraphProto{
		Input:  []*onnxpb.ValueInfoProto{vi("x", ir.Float32, 2), vi("c", ir.Bool)},
		Output: []*onnxpb.ValueInfoProto{vi("y", ir.Float32, 2)},
		Node: []*onnxpb.NodeProto{
			nd("If", ss("c"), ss("y"), graphAttr("then_branch", then), graphAttr("else_branch", els)),
			tnd("Id", ss("x"), ss("a")),
		},
	}
	gr, err := Decode(marshal(t, modelOf(g)), SkipOpCheck())
	if err != nil {
		t.Fatal(err)
	}
	if gr.Nodes[0].Op != "Id" || gr.Nodes[1].Op != "If" {
		t.Fatalf("If not ordered after the producer of its capture: %s, %s", gr.Nodes[0].Op, gr.Nodes[1].Op)
	}
	a := gr.Nodes[0].Outputs[0]
	thenG := gr.Nodes[1].Attrs.Graph("then_branch")
	if thenG.Nodes[0].Inputs[0] != a || thenG.Nodes[0].Inputs[1] != gr.Inputs[0] {
		t.Errorf("subgraph inputs do not point at outer values")
	}
	if gr.Nodes[1].Attrs.Graph("else_branch").Outputs[0] != a {
		t.Errorf("subgraph output does not point at outer value")
	}
	if gr.Nodes[1].Opset != 17 || thenG.Nodes[0].Opset != 4 {
		t.Errorf("opsets: %d %d", gr.Nodes[1].Opset, thenG.Nodes[0].Opset)
	}

	// Undefined names inside subgraphs are errors naming the node.
	then.Node[0].Input[0] = "missing"
	_, err = Decode(marshal(t, modelOf(g)), SkipOpCheck())
	if err == nil || !strings.Contains(err.Error(), `"missing" is not defined`) {
		t.Errorf("got %v", err)
	}
}

func TestNestingLimit(t *testing.T) {
	inner := &onnxpb.GraphProto{Output: []*onnxpb.ValueInfoProto{vi("x", ir.Float32)}}
	for range 5 {
		inner = &onnxpb.GraphProto{
			Node:   []*onnxpb.NodeProto{nd("If", ss("c"), ss("o"), graphAttr("then_branch", inner), graphAttr("else_branch", inner))},
			Output: []*onnxpb.ValueInfoProto{vi("o", ir.Float32)},
		}
	}
	inner.Input = []*onnxpb.ValueInfoProto{vi("x", ir.Float32), vi("c", ir.Bool)}
	data := marshal(t, modelOf(inner))
	if _, err := Decode(data, SkipOpCheck()); err != nil {
		t.Fatal(err)
	}
	_, err := Decode(data, SkipOpCheck(), WithLimits(Limits{MaxNesting: 3}))
	if err == nil || !strings.Contains(err.Error(), "MaxNesting") {
		t.Errorf("got %v", err)
	}
	_, err = Decode(data, WithLimits(Limits{MaxModelBytes: 10}))
	if err == nil || !strings.Contains(err.Error(), "MaxModelBytes") {
		t.Errorf("got %v", err)
	}
}

func TestAttributeKinds(t *testing.T) {
	sub := &onnxpb.GraphProto{Name: "s", Input: []*onnxpb.ValueInfoProto{vi("i", ir.Float32)}, Output: []*onnxpb.ValueInfoProto{vi("i", ir.Float32)}}
	seqType := &onnxpb.TypeProto{Value: &onnxpb.TypeProto_SequenceType{SequenceType: &onnxpb.TypeProto_Sequence{ElemType: vi("", ir.Int64, 2).Type}}}
	sparse := &onnxpb.SparseTensorProto{
		Values:  floatTensor("sp", []int64{2}, 5, 7),
		Indices: &onnxpb.TensorProto{DataType: int32(ir.Int64), Dims: []int64{2, 2}, Int64Data: []int64{0, 1, 1, 0}},
		Dims:    []int64{2, 2},
	}
	attrs := []*onnxpb.AttributeProto{
		{Name: "f", Type: onnxpb.AttributeProto_FLOAT, F: 1.5},
		{Name: "i", Type: onnxpb.AttributeProto_INT, I: -3},
		{Name: "s", Type: onnxpb.AttributeProto_STRING, S: []byte("hi")},
		{Name: "t", Type: onnxpb.AttributeProto_TENSOR, T: floatTensor("", []int64{1}, 2)},
		{Name: "g", Type: onnxpb.AttributeProto_GRAPH, G: sub},
		{Name: "fs", Type: onnxpb.AttributeProto_FLOATS, Floats: []float32{1, 2}},
		{Name: "is", Type: onnxpb.AttributeProto_INTS, Ints: []int64{4, 5}},
		{Name: "ss", Type: onnxpb.AttributeProto_STRINGS, Strings: [][]byte{[]byte("a"), []byte("b")}},
		{Name: "ts", Type: onnxpb.AttributeProto_TENSORS, Tensors: []*onnxpb.TensorProto{floatTensor("", nil, 9)}},
		{Name: "gs", Type: onnxpb.AttributeProto_GRAPHS, Graphs: []*onnxpb.GraphProto{sub, sub}},
		{Name: "sp", Type: onnxpb.AttributeProto_SPARSE_TENSOR, SparseTensor: sparse},
		{Name: "sps", Type: onnxpb.AttributeProto_SPARSE_TENSORS, SparseTensors: []*onnxpb.SparseTensorProto{sparse}},
		{Name: "tp", Type: onnxpb.AttributeProto_TYPE_PROTO, Tp: seqType},
		{Name: "tps", Type: onnxpb.AttributeProto_TYPE_PROTOS, TypeProtos: []*onnxpb.TypeProto{seqType, vi("", ir.Bool).Type}},
		{Name: "untyped", Ints: []int64{7}}, // no type field: inferred from the data
	}
	g := &onnxpb.GraphProto{
		Input:  []*onnxpb.ValueInfoProto{vi("x", ir.Float32)},
		Output: []*onnxpb.ValueInfoProto{vi("y", ir.Float32)},
		Node:   []*onnxpb.NodeProto{{OpType: "Custom", Domain: "ai.onnx", Input: ss("x"), Output: ss("y"), Attribute: attrs}},
	}
	gr, err := Decode(marshal(t, modelOf(g)), SkipOpCheck())
	if err != nil {
		t.Fatal(err)
	}
	n := gr.Nodes[0]
	if n.Domain != "" || n.Opset != 17 {
		t.Errorf("ai.onnx domain not normalised: %q %d", n.Domain, n.Opset)
	}
	a := n.Attrs
	check := func(ok bool, what string) {
		t.Helper()
		if !ok {
			t.Errorf("attribute %s decoded wrong", what)
		}
	}
	check(a["f"].F == 1.5, "f")
	check(a["i"].I == -3, "i")
	check(a["s"].S == "hi", "s")
	check(a["t"].T.F32()[0] == 2, "t")
	check(a["g"].G.Name == "s" && a["g"].G.Outputs[0] == a["g"].G.Inputs[0], "g")
	check(len(a["fs"].Floats) == 2 && a["fs"].Floats[1] == 2, "fs")
	check(len(a["is"].Ints) == 2 && a["is"].Ints[0] == 4, "is")
	check(strings.Join(a["ss"].Strings, "") == "ab", "ss")
	check(len(a["ts"].Tensors) == 1 && a["ts"].Tensors[0].F32()[0] == 9, "ts")
	check(len(a["gs"].Graphs) == 2, "gs")
	sp := a["sp"].T
	check(a["sp"].Kind == ir.AttrSparseTensor && sp.Shape[0] == 2 && sp.Shape[1] == 2 &&
		sp.F32()[0] == 0 && sp.F32()[1] == 5 && sp.F32()[2] == 7 && sp.F32()[3] == 0, "sp")
	check(len(a["sps"].Tensors) == 1 && a["sps"].Tensors[0].F32()[1] == 5, "sps")
	check(a["tp"].Type.String() == "seq<int64[2]>", "tp")
	check(len(a["tps"].Types) == 2 && a["tps"].Types[1].String() == "bool[]", "tps")
	check(a["untyped"].Kind == ir.AttrInts && a["untyped"].Ints[0] == 7, "untyped")
}

func TestTypes(t *testing.T) {
	seq := &onnxpb.TypeProto{Value: &onnxpb.TypeProto_SequenceType{SequenceType: &onnxpb.TypeProto_Sequence{ElemType: vi("", ir.Float32, "N").Type}}}
	opt := &onnxpb.TypeProto{Value: &onnxpb.TypeProto_OptionalType{OptionalType: &onnxpb.TypeProto_Optional{ElemType: seq}}}
	mp := &onnxpb.TypeProto{Value: &onnxpb.TypeProto_MapType{MapType: &onnxpb.TypeProto_Map{KeyType: int32(ir.String), ValueType: vi("", ir.Float32).Type}}}
	sparse := &onnxpb.TypeProto{Value: &onnxpb.TypeProto_SparseTensorType{SparseTensorType: &onnxpb.TypeProto_SparseTensor{ElemType: int32(ir.Float32), Shape: vi("", 0, 3, 4).Type.GetTensorType().Shape}}}
	unranked := &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{ElemType: int32(ir.Int8)}}}
	cases := []struct {
		tp   *onnxpb.TypeProto
		want string
		kind ir.Kind
	}{
		{vi("", ir.Float16, 1, "b", nil).Type, "float16[1,b,?]", ir.KindTensor},
		{unranked, "int8[*]", ir.KindTensor},
		{seq, "seq<float[N]>", ir.KindSequence},
		{opt, "optional<seq<float[N]>>", ir.KindOptional},
		{mp, "map", ir.KindMap},
		{sparse, "float[3,4]", ir.KindSparse},
		{nil, "dtype(0)[*]", ir.KindTensor},
	}
	for _, c := range cases {
		got, err := typeFromProto(c.tp)
		if err != nil {
			t.Fatal(err)
		}
		if got.Kind != c.kind || (got.Kind != ir.KindSparse && got.String() != c.want) {
			t.Errorf("got %v (%v), want %s", got, got.Kind, c.want)
		}
		back, err := typeFromProto(typeToProto(got))
		if err != nil || back.String() != got.String() || back.Kind != got.Kind {
			t.Errorf("type %v did not round-trip: %v %v", got, back, err)
		}
	}
	if got, _ := typeFromProto(opt); got.DType != ir.Float32 || got.Elem.Kind != ir.KindSequence {
		t.Errorf("optional elem: %+v", got)
	}
}
