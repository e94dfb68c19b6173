package passes_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// TestPassesOptimiseNestedGraphs: a model scripted into an If (as Silero
// VAD exports it: the network in a sample-rate branch, its weights as
// Constant nodes) gets the passes the top level gets, inside the branch:
// the Constant nodes fold away (before, every Run copied the weights),
// MatMul+Add+Relu becomes one FusedGemm, and the results do not change.
// The other branch does not infer for these shapes (it squeezes an axis
// of size 4); it stays as it was, and the session still builds and runs.
func TestPassesOptimiseNestedGraphs(t *testing.T) {
	w := make([]float32, 4*3)
	for i := range w {
		w[i] = float32(i%5) - 1.5
	}
	bias := []float32{0.5, -1, 2}
	build := func() *ir.Graph {
		g := &ir.Graph{Name: "scripted", Opsets: map[string]int64{"": 17}}
		x := &ir.Value{Name: "x", Type: ir.TensorType(ir.Float32, 2, 4)}
		cond := &ir.Value{Name: "cond", Type: ir.TensorType(ir.Bool)}
		g.Inputs = []*ir.Value{x, cond}
		node := func(sg *ir.Graph, op string, attrs ir.Attrs, ins ...*ir.Value) *ir.Value {
			if attrs == nil {
				attrs = ir.Attrs{}
			}
			o := &ir.Value{Name: sg.Name + "_" + op + "_" + itoa(len(sg.Nodes))}
			sg.AddNode(&ir.Node{Name: o.Name, Op: op, Opset: 17, Inputs: ins, Outputs: []*ir.Value{o}, Attrs: attrs})
			return o
		}
		konst := func(sg *ir.Graph, t *ir.Tensor) *ir.Value {
			return node(sg, "Constant", named(ir.Attrs{"value": {Kind: ir.AttrTensor, T: t}}))
		}
		then := &ir.Graph{Name: "then"}
		y := node(then, "MatMul", nil, x, konst(then, ir.FromSlice(w, 4, 3)))
		y = node(then, "Relu", nil, node(then, "Add", nil, y, konst(then, ir.FromSlice(bias, 3))))
		then.Outputs = []*ir.Value{y}
		els := &ir.Graph{Name: "else"}
		els.Outputs = []*ir.Value{node(els, "Squeeze", nil, x, konst(els, ir.FromSlice([]int64{-1}, 1)))}
		out := &ir.Value{Name: "y"}
		g.AddNode(&ir.Node{Name: "if", Op: "If", Opset: 17, Inputs: []*ir.Value{cond}, Outputs: []*ir.Value{out},
			Attrs: named(ir.Attrs{"then_branch": {Kind: ir.AttrGraph, G: then}, "else_branch": {Kind: ir.AttrGraph, G: els}})})
		g.Outputs = []*ir.Value{out}
		return g
	}
	s, err := runtime.NewSession(build(), runtime.Options{Threads: 1, VerifyPasses: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	x := ir.FromSlice([]float32{1, -2, 0.5, 3, -1, 0.25, 2, -0.5}, 2, 4)
	got, err := s.Run(context.Background(), map[string]*ir.Tensor{"x": x, "cond": ir.Scalar(true)})
	if err != nil {
		t.Fatal(err)
	}
	xs, ys := x.F32(), got["y"].F32()
	for i := range 2 {
		for j := range 3 {
			want := float64(bias[j])
			for k := range 4 {
				want += float64(xs[i*4+k]) * float64(w[k*3+j])
			}
			want = math.Max(want, 0)
			if d := math.Abs(float64(ys[i*3+j]) - want); d > 1e-5 {
				t.Fatalf("y[%d,%d] = %v, want %v", i, j, ys[i*3+j], want)
			}
		}
	}
	text := ir.Format(s.Graph())
	then := text[strings.Index(text, "graph then()"):]
	if strings.Contains(then, "= Constant(") || !strings.Contains(then, "FusedGemm(") {
		t.Errorf("the then branch kept its Constant nodes or was not fused:\n%s", text)
	}
	if !strings.Contains(text, "Squeeze(") {
		t.Errorf("the else branch lost its Squeeze:\n%s", text)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
