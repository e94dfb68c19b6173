package ir

import "testing"

// cfiBody builds a body graph: inputs of the given declared types, one
// Identity node per output copying input src[i].
func cfiBody(in []Type, src []int) *Graph {
	g := &Graph{}
	for _, t := range in {
		g.Inputs = append(g.Inputs, &Value{Name: "in", Type: t})
	}
	for _, s := range src {
		o := &Value{Name: "out"}
		g.AddNode(&Node{Name: "id", Op: "Identity", Opset: 13, Inputs: []*Value{g.Inputs[s]}, Outputs: []*Value{o}, Attrs: Attrs{}})
		g.Outputs = append(g.Outputs, o)
	}
	return g
}

// cfiConstBody returns a body with no inputs whose outputs have the given
// declared types (no nodes: outputs are free values of that type).
func cfiConstBody(outs ...Type) *Graph {
	g := &Graph{}
	for _, t := range outs {
		g.Outputs = append(g.Outputs, &Value{Name: "outer", Type: t})
	}
	return g
}

func cfiNode(op string, opset int64, in []*Value, nOut int, attrs Attrs) *Node {
	n := &Node{Name: "n", Op: op, Opset: opset, Inputs: in, Attrs: attrs}
	for i := 0; i < nOut; i++ {
		n.Outputs = append(n.Outputs, &Value{Name: "y"})
	}
	return n
}

func graphAttr(name string, g *Graph) *Attr { return &Attr{Name: name, Kind: AttrGraph, G: g} }

func intsAttr(name string, v ...int64) *Attr { return &Attr{Name: name, Kind: AttrInts, Ints: v} }

func TestUnionType(t *testing.T) {
	a := TensorOf(Float32, Shape{D(2), Sym("n"), D(3)})
	b := TensorOf(Float32, Shape{D(2), Sym("n"), D(4)})
	u, ok := UnionType(a, b)
	if !ok || u.String() != "float[2,n,?]" {
		t.Fatalf("union: %v %v", u, ok)
	}
	if u, ok := UnionType(a, TensorType(Float32, 2)); !ok || u.RankKnown {
		t.Fatalf("different ranks: %v %v", u, ok)
	}
	if _, ok := UnionType(a, TensorType(Int64, 2)); ok {
		t.Fatal("different dtypes must not unite")
	}
	if _, ok := UnionType(a, SeqOf(a)); ok {
		t.Fatal("tensor and sequence must not unite")
	}
	if u, ok := UnionType(SeqOf(a), SeqOf(b)); !ok || u.String() != "seq<float[2,n,?]>" {
		t.Fatalf("sequences: %v", u)
	}
	if u, ok := UnionType(Type{}, a); !ok || u.RankKnown || u.DType != Float32 {
		t.Fatalf("unknown side: %v", u)
	}
}

func TestInferIf(t *testing.T) {
	cond := &Value{Name: "c", Type: TensorType(Bool)}
	then := cfiConstBody(TensorType(Float32, 2, 3), SeqOf(TensorType(Int64, 4)))
	els := cfiConstBody(TensorType(Float32, 5, 3), SeqOf(TensorType(Int64, 4)))
	attrs := Attrs{"then_branch": graphAttr("then_branch", then), "else_branch": graphAttr("else_branch", els)}
	n := cfiNode("If", 16, []*Value{cond}, 2, attrs)
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	if got := n.Outputs[0].Type.String(); got != "float[?,3]" {
		t.Fatalf("output 0: %s", got)
	}
	if got := n.Outputs[1].Type.String(); got != "seq<int64[4]>" {
		t.Fatalf("output 1: %s", got)
	}
	// A constant condition picks its branch's exact type.
	k := &Value{Name: "k", Type: TensorType(Bool), Const: Scalar(false)}
	n = cfiNode("If", 16, []*Value{k}, 2, attrs)
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	if got := n.Outputs[0].Type.String(); got != "float[5,3]" {
		t.Fatalf("constant cond: %s", got)
	}
	bad := cfiConstBody(TensorType(Int32, 2, 3), SeqOf(TensorType(Int64, 4)))
	n = cfiNode("If", 16, []*Value{cond}, 2, Attrs{"then_branch": graphAttr("then_branch", then), "else_branch": graphAttr("else_branch", bad)})
	if err := InferNode(n); err == nil {
		t.Fatal("branches of different dtypes: expected an error")
	}
}

func TestInferLoop(t *testing.T) {
	// Body: (i, cond, v) -> (cond, v, v): carries v and scans it.
	body := cfiBody([]Type{{}, {}, {}}, []int{1, 2, 2})
	attrs := Attrs{"body": graphAttr("body", body)}
	m := &Value{Name: "M", Type: TensorType(Int64), Const: Scalar(int64(7))}
	v := &Value{Name: "v", Type: TensorType(Float32, 2, 3)}
	n := cfiNode("Loop", 13, []*Value{m, nil, v}, 2, attrs)
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	// The body saw v with its dtype only (loop-carried values may change
	// shape), so neither output keeps v's dims.
	if got := body.Inputs[2].Type.String(); got != "float[*]" {
		t.Fatalf("body input: %s", got)
	}
	if got := body.Inputs[0].Type.String(); got != "int64[]" {
		t.Fatalf("iteration number: %s", got)
	}
	if got := n.Outputs[0].Type.String(); got != "float[*]" {
		t.Fatalf("carried: %s", got)
	}
	if got := n.Outputs[1].Type.String(); got != "float[*]" {
		t.Fatalf("scan: %s", got)
	}
	// A body declaring its carried input's shape keeps it, and a constant
	// M without cond fixes the scan length.
	body = cfiBody([]Type{{}, {}, TensorType(Float32, 2, 3)}, []int{1, 2, 2})
	n = cfiNode("Loop", 13, []*Value{m, nil, v}, 2, Attrs{"body": graphAttr("body", body)})
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	if got := n.Outputs[1].Type.String(); got != "float[7,2,3]" {
		t.Fatalf("scan with known trip count: %s", got)
	}
	if got := n.Outputs[0].Type.String(); got != "float[2,3]" {
		t.Fatalf("carried with declared shape: %s", got)
	}
	c := &Value{Name: "c", Type: TensorType(Bool)}
	n = cfiNode("Loop", 13, []*Value{m, c, v}, 2, Attrs{"body": graphAttr("body", body)})
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	if got := n.Outputs[1].Type.String(); got != "float[?,2,3]" {
		t.Fatalf("scan with a condition: %s", got)
	}
	n = cfiNode("Loop", 13, []*Value{m, nil, v}, 3, Attrs{"body": graphAttr("body", body)})
	if err := InferNode(n); err == nil {
		t.Fatal("more outputs than the body yields: expected an error")
	}
}

func TestInferScan(t *testing.T) {
	st := &Value{Name: "s", Type: TensorType(Float32, 4)}
	x := &Value{Name: "x", Type: TensorType(Float32, 4, 5)}
	// Body (s, x) -> (s, x): the scan element is the slice of x.
	body := cfiBody([]Type{{}, {}}, []int{0, 1})
	attrs := Attrs{"body": graphAttr("body", body), "num_scan_inputs": {Name: "num_scan_inputs", Kind: AttrInt, I: 1},
		"scan_input_axes": intsAttr("scan_input_axes", 1), "scan_output_axes": intsAttr("scan_output_axes", -1)}
	n := cfiNode("Scan", 11, []*Value{st, x}, 2, attrs)
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	if got := body.Inputs[1].Type.String(); got != "float[4]" {
		t.Fatalf("scan element: %s", got)
	}
	if got := n.Outputs[1].Type.String(); got != "float[4,5]" {
		t.Fatalf("scan output: %s", got)
	}
	attrs["scan_output_axes"] = intsAttr("scan_output_axes", 0)
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	if got := n.Outputs[1].Type.String(); got != "float[5,4]" {
		t.Fatalf("scan output axis 0: %s", got)
	}

	// Scan-8: batch axis 0, sequence axis 1.
	st8 := &Value{Name: "s", Type: TensorType(Float32, 2, 4)}
	x8 := &Value{Name: "x", Type: TensorType(Float32, 2, 6, 4)}
	body8 := cfiBody([]Type{{}, {}}, []int{0, 1})
	n = cfiNode("Scan", 8, []*Value{nil, st8, x8}, 2, Attrs{"body": graphAttr("body", body8), "num_scan_inputs": {Name: "num_scan_inputs", Kind: AttrInt, I: 1}})
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	if got := body8.Inputs[0].Type.String() + " " + body8.Inputs[1].Type.String(); got != "float[4] float[4]" {
		t.Fatalf("Scan-8 body inputs: %s", got)
	}
	if got := n.Outputs[0].Type.String() + " " + n.Outputs[1].Type.String(); got != "float[2,4] float[2,6,4]" {
		t.Fatalf("Scan-8 outputs: %s", got)
	}
	n.Attrs["scan_input_axes"] = intsAttr("scan_input_axes", 1)
	if err := InferNode(n); err == nil {
		t.Fatal("scan_input_axes at opset 8: expected an error")
	}
}

func TestInferSequenceOps(t *testing.T) {
	a := &Value{Name: "a", Type: TensorType(Float32, 2, 3)}
	b := &Value{Name: "b", Type: TensorType(Float32, 4, 3)}
	n := cfiNode("SequenceConstruct", 11, []*Value{a, b}, 1, Attrs{})
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	seq := n.Outputs[0]
	if got := seq.Type.String(); got != "seq<float[?,3]>" {
		t.Fatalf("construct: %s", got)
	}
	pos := &Value{Name: "p", Type: TensorType(Int64)}
	n = cfiNode("SequenceAt", 11, []*Value{seq, pos}, 1, Attrs{})
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	if got := n.Outputs[0].Type.String(); got != "float[?,3]" {
		t.Fatalf("at: %s", got)
	}
	n = cfiNode("ConcatFromSequence", 11, []*Value{seq}, 1, Attrs{"axis": {Name: "axis", Kind: AttrInt, I: 1}, "new_axis": {Name: "new_axis", Kind: AttrInt, I: 1}})
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	if got := n.Outputs[0].Type.String(); got != "float[?,?,3]" {
		t.Fatalf("concat new axis: %s", got)
	}
	// A constant sequence's type (as folding leaves it) names only its
	// first item; SequenceAt must not trust it.
	k := &Tensor{Kind: KindSequence, DType: Float32, Items: []*Tensor{NewTensor(Float32, []int64{2}), NewTensor(Float32, []int64{5})}}
	kv := &Value{Name: "k", Type: TypeOfTensor(k), Const: k}
	n = cfiNode("SequenceAt", 11, []*Value{kv, pos}, 1, Attrs{})
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	if got := n.Outputs[0].Type.String(); got != "float[?]" {
		t.Fatalf("at of a constant sequence: %s", got)
	}
	split := &Value{Name: "s", Type: TensorType(Int64), Const: Scalar(int64(2))}
	x := &Value{Name: "x", Type: TensorType(Float32, 3, 6)}
	n = cfiNode("SplitToSequence", 11, []*Value{x, split}, 1, Attrs{"axis": {Name: "axis", Kind: AttrInt, I: -1}})
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	if got := n.Outputs[0].Type.String(); got != "seq<float[3,2]>" {
		t.Fatalf("split: %s", got)
	}
	n = cfiNode("SplitToSequence", 11, []*Value{x}, 1, Attrs{"keepdims": {Name: "keepdims", Kind: AttrInt, I: 0}})
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	if got := n.Outputs[0].Type.String(); got != "seq<float[6]>" {
		t.Fatalf("split keepdims 0: %s", got)
	}
	n = cfiNode("SequenceInsert", 11, []*Value{seq, &Value{Name: "i", Type: TensorType(Int32, 2, 3)}}, 1, Attrs{})
	if err := InferNode(n); err == nil {
		t.Fatal("insert of another dtype: expected an error")
	}
	opt := cfiNode("Optional", 15, []*Value{seq}, 1, Attrs{})
	if err := InferNode(opt); err != nil {
		t.Fatal(err)
	}
	n = cfiNode("OptionalGetElement", 15, []*Value{opt.Outputs[0]}, 1, Attrs{})
	if err := InferNode(n); err != nil {
		t.Fatal(err)
	}
	if got := n.Outputs[0].Type.String(); got != "seq<float[?,3]>" {
		t.Fatalf("get element: %s", got)
	}
}
