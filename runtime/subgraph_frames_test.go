package runtime

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
)

// TestNestedPlanReusesFramesAndArena: a model whose network sits in an If
// branch (as Silero VAD is exported) runs its branch from a reused frame
// with an arena of its own: a Run allocates nothing (not a frame and a
// tensor per step, nor copies of the values the branch hands back); and
// results stay right across Runs
// that alternate the branch taken, so nothing of one Run leaks into the
// next.
func TestNestedPlanReusesFramesAndArena(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	attr := func(name string, a *ir.Attr) *ir.Attr { a.Name = name; return a }
	build := func() *ir.Graph {
		g := &ir.Graph{Name: "scripted", Opsets: map[string]int64{"": 17}}
		x := &ir.Value{Name: "x", Type: ir.TensorType(ir.Float32, 4, 8)}
		cond := &ir.Value{Name: "cond", Type: ir.TensorType(ir.Bool)}
		g.Inputs = []*ir.Value{x, cond}
		node := func(sg *ir.Graph, op string, attrs ir.Attrs, ins ...*ir.Value) *ir.Value {
			if attrs == nil {
				attrs = ir.Attrs{}
			}
			o := &ir.Value{Name: sg.Name + "_" + op + string(rune('a'+len(sg.Nodes)))}
			sg.AddNode(&ir.Node{Name: o.Name, Op: op, Opset: 17, Inputs: ins, Outputs: []*ir.Value{o}, Attrs: attrs})
			return o
		}
		then := &ir.Graph{Name: "then"}
		y := node(then, "Tanh", nil, node(then, "Mul", nil, x, x))
		y = node(then, "Sigmoid", nil, node(then, "Add", nil, y, x))
		then.Outputs = []*ir.Value{node(then, "Neg", nil, y)}
		els := &ir.Graph{Name: "else"}
		els.Outputs = []*ir.Value{node(els, "Abs", nil, node(els, "Sub", nil, x, x))}
		out := &ir.Value{Name: "y"}
		g.AddNode(&ir.Node{Name: "if", Op: "If", Opset: 17, Inputs: []*ir.Value{cond}, Outputs: []*ir.Value{out},
			Attrs: ir.Attrs{"then_branch": attr("then_branch", &ir.Attr{Kind: ir.AttrGraph, G: then}), "else_branch": attr("else_branch", &ir.Attr{Kind: ir.AttrGraph, G: els})}})
		g.Outputs = []*ir.Value{out}
		return g
	}
	s, err := NewSession(build(), Options{Threads: 1})
	require.NoError(t, err)
	defer s.Close()
	x := ir.NewTensor(ir.Float32, []int64{4, 8})
	for i, d := 0, x.F32(); i < len(d); i++ {
		d[i] = float32(i%9)/4 - 1
	}
	ctx := context.Background()
	outs := []*ir.Tensor{ir.NewTensor(ir.Float32, []int64{4, 8})}
	yes, no := ir.Scalar(true), ir.Scalar(false)
	for r := range 6 {
		cond := yes
		if r%2 == 1 {
			cond = no
		}
		require.NoError(t, s.RunInto(ctx, []*ir.Tensor{x, cond}, outs))
		for i, v := range x.F32() {
			want := float32(0)
			if r%2 == 0 {
				want = -float32(1 / (1 + math.Exp(-(math.Tanh(float64(v*v)) + float64(v)))))
			}
			require.InDelta(t, want, outs[0].F32()[i], 1e-5, "run %d element %d", r, i)
		}
	}
	allocs := allocstest.PerRun(50, func() {
		if err := s.RunInto(ctx, []*ir.Tensor{x, yes}, outs); err != nil {
			t.Fatal(err)
		}
	})
	// The branch's output lands in the buffer the top-level plan reserved
	// for the If's output (RunTo; the If's output type is known once its
	// branches are optimised, passes/nested.go), so nothing is allocated,
	// where a fresh frame per Run and a tensor per step made dozens and a
	// copy out of the branch's arena three.
	require.Zero(t, allocs, "allocations per Run of a model in an If branch")
}
