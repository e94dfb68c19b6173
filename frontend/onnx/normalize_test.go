package onnx

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestNormalizeOldForms(t *testing.T) {
	x := &ir.Value{Name: "x", Type: ir.TensorType(ir.Float32, 1, 1, 4, 4)}
	cast := &ir.Node{Name: "c", Op: "Cast", Opset: 1, Inputs: []*ir.Value{x}, Outputs: []*ir.Value{{Name: "y"}},
		Attrs: ir.Attrs{"to": {Name: "to", Kind: ir.AttrString, S: "INT64"}}}
	lp := &ir.Node{Name: "p", Op: "GlobalLpPool", Opset: 1, Inputs: []*ir.Value{x}, Outputs: []*ir.Value{{Name: "z"}},
		Attrs: ir.Attrs{"p": {Name: "p", Kind: ir.AttrFloat, F: 3}}}
	g := &ir.Graph{Name: "g", Inputs: []*ir.Value{x}}
	g.AddNode(cast)
	g.AddNode(lp)
	if err := normalize(g); err != nil {
		t.Fatal(err)
	}
	if a := cast.Attrs["to"]; a.Kind != ir.AttrInt || ir.DType(a.I) != ir.Int64 || cast.Opset != 6 {
		t.Fatalf("Cast-1 not normalised: %+v opset %d", a, cast.Opset)
	}
	if a := lp.Attrs["p"]; a.Kind != ir.AttrInt || a.I != 3 || lp.Opset != 2 {
		t.Fatalf("GlobalLpPool-1 not normalised: %+v opset %d", a, lp.Opset)
	}
	bad := &ir.Node{Name: "b", Op: "LpPool", Opset: 1, Inputs: []*ir.Value{x}, Outputs: []*ir.Value{{Name: "w"}},
		Attrs: ir.Attrs{"p": {Name: "p", Kind: ir.AttrFloat, F: 2.5}}}
	g2 := &ir.Graph{Name: "g2", Inputs: []*ir.Value{x}}
	g2.AddNode(bad)
	if err := normalize(g2); err == nil {
		t.Fatal("fractional p accepted")
	}
}
