package onnx

import (
	"path/filepath"
	"testing"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// roundTrip checks that Decode(Encode(g)) formats like g.
func roundTrip(t *testing.T, name string, g *ir.Graph) {
	t.Helper()
	data, err := Encode(g)
	if err != nil {
		t.Errorf("%s: Encode: %v", name, err)
		return
	}
	back, err := Decode(data, SkipOpCheck())
	if err != nil {
		t.Errorf("%s: Decode(Encode): %v", name, err)
		return
	}
	if a, b := ir.Format(g), ir.Format(back); a != b {
		t.Errorf("%s: round trip changed the graph:\n--- before\n%s\n--- after\n%s", name, a, b)
	}
	for d, v := range g.Opsets {
		if back.Opsets[d] != v {
			t.Errorf("%s: opset of %q: %d, want %d", name, d, back.Opsets[d], v)
		}
	}
}

func TestExportRoundTripModels(t *testing.T) {
	needDir(t, modelsDir)
	paths, _ := filepath.Glob(filepath.Join(modelsDir, "*", "model.onnx"))
	for _, p := range paths {
		g, err := Load(p, SkipOpCheck())
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, p, g)
	}
}

func TestExportRoundTripNodeTests(t *testing.T) {
	needDir(t, nodeDir)
	paths, _ := filepath.Glob(filepath.Join(nodeDir, "test_*", "model.onnx"))
	for _, p := range paths {
		g, err := Load(p, SkipOpCheck())
		if err != nil {
			continue // reported by TestNodeConformanceDecode
		}
		roundTrip(t, p, g)
	}
}

func TestExportBuiltGraph(t *testing.T) {
	// A graph built in Go: unnamed and duplicate-named values, an unlisted
	// constant, a subgraph capturing an outer value, a sparse attribute.
	x := &ir.Value{Name: "x", Type: ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("N"), ir.D(2)})}
	c := &ir.Value{Type: ir.TensorType(ir.Float32, 2), Const: ir.FromSlice([]float32{1, 2})}
	g := &ir.Graph{Name: "built", Inputs: []*ir.Value{x}, Opsets: map[string]int64{"": 18, testDomain: 4}}
	a := &ir.Value{Name: "a", Type: x.Type}
	g.AddNode(&ir.Node{Name: "n0", Op: "Add", Domain: testDomain, Opset: 4, Inputs: []*ir.Value{x, c}, Outputs: []*ir.Value{a}, Attrs: ir.Attrs{}})
	sub := &ir.Graph{Name: "body"}
	inner := &ir.Value{Name: "a", Type: x.Type} // same name as an outer value
	sub.AddNode(&ir.Node{Name: "n1", Op: "Id", Domain: testDomain, Opset: 4, Inputs: []*ir.Value{a}, Outputs: []*ir.Value{inner}, Attrs: ir.Attrs{}})
	sub.Outputs = []*ir.Value{inner}
	cond := &ir.Value{Name: "cond", Type: ir.TensorType(ir.Bool), Const: ir.Scalar(true)}
	g.Constants = append(g.Constants, cond)
	y := &ir.Value{Name: "y", Type: x.Type}
	sparse := &ir.Tensor{DType: ir.Float32, Shape: []int64{2, 2}, Data: []float32{0, 3, 0, 0}}
	g.AddNode(&ir.Node{Name: "if", Op: "If", Opset: 18, Inputs: []*ir.Value{cond}, Outputs: []*ir.Value{y}, Attrs: ir.Attrs{
		"then_branch": {Name: "then_branch", Kind: ir.AttrGraph, G: sub},
		"else_branch": {Name: "else_branch", Kind: ir.AttrGraph, G: sub},
		"sp":          {Name: "sp", Kind: ir.AttrSparseTensor, T: sparse},
	}})
	g.Outputs = []*ir.Value{y}

	m, err := Export(g, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Graph.Initializer) != 2 {
		t.Errorf("unlisted constant not exported: %d initializers", len(m.Graph.Initializer))
	}
	if m.Graph.Input[0].Type.GetTensorType().Shape.Dim[0].GetDimParam() != "N" {
		t.Errorf("symbolic dim not exported as dim_param")
	}
	data, err := Encode(g)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(data, SkipOpCheck())
	if err != nil {
		t.Fatal(err)
	}
	ifn := back.Nodes[1]
	body := ifn.Attrs.Graph("then_branch")
	if body.Nodes[0].Inputs[0] != back.Nodes[0].Outputs[0] {
		t.Errorf("subgraph capture lost")
	}
	if got := ifn.Attrs["sp"].T.F32(); got[1] != 3 || len(got) != 4 {
		t.Errorf("sparse attribute: %v", got)
	}
	if back.Nodes[0].Inputs[1].Const == nil || back.Nodes[0].Inputs[1].Const.F32()[1] != 2 {
		t.Errorf("unlisted constant lost")
	}
	if back.Opsets[""] != 18 || back.Nodes[1].Opset != 18 {
		t.Errorf("opsets: %v", back.Opsets)
	}
	// An explicit opset overrides the default domain's version.
	m, _ = Export(g, 21)
	for _, imp := range m.OpsetImport {
		if imp.Domain == "" && imp.Version != 21 {
			t.Errorf("opset override ignored: %v", imp)
		}
	}
	_ = onnxpb.Version_IR_VERSION
}
