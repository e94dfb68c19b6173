package onnx

import (
	"strings"
	"testing"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// addTwice computes Z = (X + Y) + Y with attribute alpha bound by
// reference (default 0.25), using the test domain at version 5.
func addTwice() *onnxpb.FunctionProto {
	return &onnxpb.FunctionProto{
		Name: "AddTwice", Domain: "local",
		Input: ss("X", "Y"), Output: ss("Z"),
		AttributeProto: []*onnxpb.AttributeProto{{Name: "alpha", Type: onnxpb.AttributeProto_FLOAT, F: 0.25}},
		OpsetImport:    []*onnxpb.OperatorSetIdProto{{Domain: testDomain, Version: 5}},
		Node: []*onnxpb.NodeProto{
			tnd("Add", ss("X", "Y"), ss("T"), &onnxpb.AttributeProto{Name: "alpha", RefAttrName: "alpha", Type: onnxpb.AttributeProto_FLOAT}),
			tnd("Add", ss("T", "Y"), ss("Z")),
		},
	}
}

func TestFunctionInlining(t *testing.T) {
	outer := &onnxpb.FunctionProto{
		Name: "Outer", Domain: "local",
		Input: ss("A"), Output: ss("B", "Pass"),
		Attribute: ss("beta"),
		Node: []*onnxpb.NodeProto{
			{OpType: "AddTwice", Domain: "local", Input: ss("A", "A"), Output: ss("B"),
				Attribute: []*onnxpb.AttributeProto{{Name: "alpha", RefAttrName: "beta", Type: onnxpb.AttributeProto_FLOAT}}},
		},
	}
	outer.Output[1] = "A" // an output that is an input: needs an Identity
	g := &onnxpb.GraphProto{
		Input:  []*onnxpb.ValueInfoProto{vi("x", ir.Float32, 2), vi("y", ir.Float32, 2)},
		Output: []*onnxpb.ValueInfoProto{vi("z", ir.Float32, 2), vi("w", ir.Float32, 2), vi("p", ir.Float32, 2)},
		Node: []*onnxpb.NodeProto{
			{OpType: "AddTwice", Domain: "local", Input: ss("x", "y"), Output: ss("z"),
				Attribute: []*onnxpb.AttributeProto{{Name: "alpha", Type: onnxpb.AttributeProto_FLOAT, F: 2}}},
			{OpType: "Outer", Domain: "local", Input: ss("z"), Output: ss("w", "p"),
				Attribute: []*onnxpb.AttributeProto{{Name: "beta", Type: onnxpb.AttributeProto_FLOAT, F: 3}}},
			{OpType: "AddTwice", Domain: "local", Input: ss("x", "y"), Output: ss("")},
		},
	}
	gr, err := Decode(marshal(t, modelOf(g, addTwice(), outer)), SkipOpCheck())
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, n := range gr.Nodes {
		ops = append(ops, n.Op)
	}
	if got := strings.Join(ops, ","); got != "Add,Add,Add,Add,Identity,Add,Add" {
		t.Fatalf("inlined ops %s", got)
	}
	n := gr.Nodes
	if n[0].Inputs[0] != gr.Inputs[0] || n[0].Inputs[1] != gr.Inputs[1] || n[1].Inputs[0] != n[0].Outputs[0] {
		t.Errorf("formal inputs not bound")
	}
	if n[1].Outputs[0].Name != "z" || gr.Outputs[0] != n[1].Outputs[0] {
		t.Errorf("formal output not bound: %s", n[1].Outputs[0].Name)
	}
	if n[0].Opset != 5 {
		t.Errorf("function body did not use its own opset import: %d", n[0].Opset)
	}
	if a := n[0].Attrs.Float("alpha", -1); a != 2 {
		t.Errorf("call attribute not bound: %v", a)
	}
	if a := n[2].Attrs.Float("alpha", -1); a != 3 {
		t.Errorf("nested attribute reference not bound: %v", a)
	}
	if a := n[5].Attrs.Float("alpha", -1); a != 0.25 {
		t.Errorf("default attribute not used: %v", a)
	}
	if n[1].Attrs.Has("alpha") {
		t.Errorf("unreferenced attribute appeared")
	}
	if n[4].Inputs[0] != n[1].Outputs[0] || gr.Outputs[2] != n[4].Outputs[0] {
		t.Errorf("pass-through output not wired through Identity")
	}
	if n[0].Outputs[0].Name == n[5].Outputs[0].Name || n[0].Outputs[0].Name == "T" {
		t.Errorf("internal names not unique: %s %s", n[0].Outputs[0].Name, n[5].Outputs[0].Name)
	}

	// Recursion is bounded.
	rec := &onnxpb.FunctionProto{Name: "R", Domain: "local", Input: ss("X"), Output: ss("Y"),
		Node: []*onnxpb.NodeProto{{OpType: "R", Domain: "local", Input: ss("X"), Output: ss("Y")}}}
	g2 := &onnxpb.GraphProto{
		Input:  []*onnxpb.ValueInfoProto{vi("x", ir.Float32, 2)},
		Output: []*onnxpb.ValueInfoProto{vi("y", ir.Float32, 2)},
		Node:   []*onnxpb.NodeProto{{OpType: "R", Domain: "local", Input: ss("x"), Output: ss("y")}},
	}
	_, err = Decode(marshal(t, modelOf(g2, rec)), SkipOpCheck())
	if err == nil || !strings.Contains(err.Error(), "MaxNesting") {
		t.Errorf("recursive function: got %v", err)
	}
}

func TestFunctionSubgraphRenaming(t *testing.T) {
	body := &onnxpb.GraphProto{
		Name:   "then",
		Node:   []*onnxpb.NodeProto{tnd("Id", ss("T"), ss("U"))},
		Output: []*onnxpb.ValueInfoProto{vi("U", ir.Float32, 2)},
	}
	f := &onnxpb.FunctionProto{
		Name: "F", Domain: "local", Input: ss("C", "X"), Output: ss("Y"),
		Node: []*onnxpb.NodeProto{
			tnd("Id", ss("X"), ss("T")),
			nd("If", ss("C"), ss("Y"), graphAttr("then_branch", body), graphAttr("else_branch", body)),
		},
	}
	g := &onnxpb.GraphProto{
		Input:  []*onnxpb.ValueInfoProto{vi("c", ir.Bool), vi("x", ir.Float32, 2)},
		Output: []*onnxpb.ValueInfoProto{vi("y", ir.Float32, 2)},
		Node: []*onnxpb.NodeProto{
			{OpType: "F", Domain: "local", Input: ss("c", "x"), Output: ss("y")},
			// The caller's own "T" must not clash with the body's T.
			tnd("Id", ss("x"), ss("T")),
		},
	}
	gr, err := Decode(marshal(t, modelOf(g, f)), SkipOpCheck())
	if err != nil {
		t.Fatal(err)
	}
	ifn := gr.Nodes[1]
	if ifn.Op != "If" {
		t.Fatalf("got %s", ifn.Op)
	}
	if ifn.Attrs.Graph("then_branch").Nodes[0].Inputs[0] != gr.Nodes[0].Outputs[0] {
		t.Errorf("subgraph capture inside function body not renamed consistently")
	}
}

func TestFunctionExponentialCalls(t *testing.T) {
	// F calls itself twice and emits nothing: bounded by MaxNodes or
	// MaxNesting, never 2^depth work.
	f := &onnxpb.FunctionProto{Name: "F", Domain: "local", Input: ss("X"), Output: ss("Y"),
		Node: []*onnxpb.NodeProto{
			{OpType: "F", Domain: "local", Input: ss("X"), Output: ss("Y")},
			{OpType: "F", Domain: "local", Input: ss("X"), Output: ss("Z")},
		}}
	g := &onnxpb.GraphProto{
		Input:  []*onnxpb.ValueInfoProto{vi("x", ir.Float32, 2)},
		Output: []*onnxpb.ValueInfoProto{vi("y", ir.Float32, 2)},
		Node:   []*onnxpb.NodeProto{{OpType: "F", Domain: "local", Input: ss("x"), Output: ss("y")}},
	}
	_, err := Decode(marshal(t, modelOf(g, f)), SkipOpCheck(), WithLimits(Limits{MaxNodes: 10000}))
	if err == nil || !strings.Contains(err.Error(), "Max") {
		t.Errorf("got %v", err)
	}
}
