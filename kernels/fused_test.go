package kernels

import (
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
)

// Unit tests of the fused kernels' contracts: attribute validation at
// build time, and errors (never panics) for inputs that do not fit. Their
// numerics are tested against the unfused graphs in passes (package
// passes_test, fuse_numeric_test.go).

func fusedNode(op string, attrs ir.Attrs, ins ...*ir.Value) *ir.Node {
	if attrs == nil {
		attrs = ir.Attrs{}
	}
	return &ir.Node{Name: "n", Op: op, Domain: ir.FusedDomain, Opset: 1, Inputs: ins, Attrs: attrs,
		Outputs: []*ir.Value{{Name: "y"}}}
}

func fusedBuild(t *testing.T, n *ir.Node) (Func, error) {
	t.Helper()
	types := make([]*ir.Type, len(n.Inputs))
	for i, v := range n.Inputs {
		if v != nil {
			tt := v.Type
			types[i] = &tt
		}
	}
	return BuildNode(&Build{Node: n, InTypes: types})
}

// fusedRun runs fn once; a panic fails the test binary, as it should.
func fusedRun(fn Func, in ...*ir.Tensor) (*ir.Tensor, error) {
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: &ir.Node{Name: "n", Op: "Fused"}}
	err := fn(c, in)
	return c.Outs[0], err
}

func val(t ir.Type) *ir.Value { return &ir.Value{Name: "v", Type: t} }

func TestFusedBuildRejects(t *testing.T) {
	f32 := ir.TensorType(ir.Float32, 2, 2)
	for _, tc := range []struct {
		name  string
		node  *ir.Node
		error string
	}{
		{"unknown activation", fusedNode("FusedGemm", ir.Attrs{"activation": {Name: "activation", Kind: ir.AttrString, S: "Swoosh"}}, val(f32), val(f32)), "is not one of"},
		{"missing params", fusedNode("FusedGemm", ir.Attrs{"activation": {Name: "activation", Kind: ir.AttrString, S: "Clip"}}, val(f32), val(f32)), "takes 2 parameters"},
		{"params without activation", fusedNode("FusedConv", ir.Attrs{"activation_params": {Name: "activation_params", Kind: ir.AttrFloats, Floats: []float32{1}}}, val(ir.TensorType(ir.Float32, 1, 1, 3, 3)), val(ir.TensorType(ir.Float32, 1, 1, 1, 1))), "without an activation"},
		{"float64", fusedNode("FusedGemm", nil, val(ir.TensorType(ir.Float64, 2, 2)), val(ir.TensorType(ir.Float64, 2, 2))), "float32 only"},
		{"bad group", fusedNode("FusedConv", ir.Attrs{"group": {Name: "group", Kind: ir.AttrInt, I: 0}}, val(ir.TensorType(ir.Float32, 1, 1, 3, 3)), val(ir.TensorType(ir.Float32, 1, 1, 1, 1))), "group"},
	} {
		_, err := fusedBuild(t, tc.node)
		if err == nil || !strings.Contains(err.Error(), tc.error) {
			t.Errorf("%s: got error %v, want one containing %q", tc.name, err, tc.error)
		}
	}
}

func TestFusedGemmBadInputs(t *testing.T) {
	w := ir.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	wv := &ir.Value{Name: "w", Type: ir.TypeOfTensor(w), Const: w}
	fn, err := fusedBuild(t, fusedNode("FusedGemm", nil, val(ir.TensorType(ir.Float32, 4, 2)), wv))
	if err != nil {
		t.Fatal(err)
	}
	good := ir.FromSlice([]float32{1, 0, 0, 1, 1, 1, 2, 2}, 4, 2)
	out, err := fusedRun(fn, good, w)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{1, 2, 3, 4, 5, 6, 5, 7, 9, 10, 14, 18}
	for i, v := range out.F32() {
		if v != want[i] {
			t.Fatalf("got %v, want %v", out.F32(), want)
		}
	}
	for name, in := range map[string][]*ir.Tensor{
		"inner dims":     {ir.FromSlice(make([]float32, 12), 4, 3), w},
		"rank 1 A":       {ir.FromSlice(make([]float32, 2), 2), w},
		"residual shape": {good, w, nil, ir.FromSlice(make([]float32, 3), 1, 3)},
		"C shape":        {good, w, ir.FromSlice(make([]float32, 2), 2)},
		"int A":          {ir.FromSlice(make([]int64, 8), 4, 2), w},
	} {
		if _, err := fusedRun(fn, in...); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestFusedConvBadInputs(t *testing.T) {
	fn, err := fusedBuild(t, fusedNode("FusedConv", ir.Attrs{"activation": {Name: "activation", Kind: ir.AttrString, S: "Relu"}},
		val(ir.TensorType(ir.Float32, 1, 1, 3, 3)), val(ir.TensorType(ir.Float32, 1, 1, 1, 1))))
	if err != nil {
		t.Fatal(err)
	}
	x := ir.FromSlice([]float32{-1, 2, -3, 4, -5, 6, -7, 8, -9}, 1, 1, 3, 3)
	w := ir.FromSlice([]float32{2}, 1, 1, 1, 1)
	out, err := fusedRun(fn, x, w, nil, ir.FromSlice([]float32{1, 1, 1, 1, 1, 1, 1, 1, 1}, 1, 1, 3, 3))
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0, 5, 0, 9, 0, 13, 0, 17, 0}
	for i, v := range out.F32() {
		if v != want[i] {
			t.Fatalf("got %v, want %v", out.F32(), want)
		}
	}
	for name, in := range map[string][]*ir.Tensor{
		"residual shape": {x, w, nil, ir.FromSlice(make([]float32, 4), 1, 1, 2, 2)},
		"weight rank":    {x, ir.FromSlice([]float32{1}, 1, 1)},
		"bias shape":     {x, w, ir.FromSlice([]float32{1, 2}, 2)},
	} {
		if _, err := fusedRun(fn, in...); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
