package runtime

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/ir"
)

// TestIfBranchOutputsOfEveryKind: the outputs of an If branch that are
// its own computed values, an outer value and a constant of the branch
// all reach the If's outputs right (RunTo copies each into the buffer the
// enclosing plan reserved), Run after Run, whichever branch runs.
func TestIfBranchOutputsOfEveryKind(t *testing.T) {
	attr := func(name string, a *ir.Attr) *ir.Attr { a.Name = name; return a }
	g := &ir.Graph{Name: "kinds", Opsets: map[string]int64{"": 17}}
	x := &ir.Value{Name: "x", Type: ir.TensorType(ir.Float32, 2, 3)}
	cond := &ir.Value{Name: "cond", Type: ir.TensorType(ir.Bool)}
	g.Inputs = []*ir.Value{x, cond}
	branch := func(name, op string, k float32) *ir.Graph {
		b := &ir.Graph{Name: name}
		o := &ir.Value{Name: name + "_y"}
		b.AddNode(&ir.Node{Name: name + "_n", Op: op, Opset: 17, Inputs: []*ir.Value{x}, Outputs: []*ir.Value{o}, Attrs: ir.Attrs{}})
		kt := ir.FromSlice([]float32{k, k + 1}, 2)
		kv := &ir.Value{Name: name + "_k", Type: ir.TypeOfTensor(kt), Const: kt}
		b.Constants = []*ir.Value{kv}
		b.Outputs = []*ir.Value{o, x, kv}
		return b
	}
	outs := []*ir.Value{{Name: "y"}, {Name: "xo"}, {Name: "k"}}
	g.AddNode(&ir.Node{Name: "if", Op: "If", Opset: 17, Inputs: []*ir.Value{cond}, Outputs: outs,
		Attrs: ir.Attrs{"then_branch": attr("then_branch", &ir.Attr{Kind: ir.AttrGraph, G: branch("then", "Neg", 5)}),
			"else_branch": attr("else_branch", &ir.Attr{Kind: ir.AttrGraph, G: branch("else", "Abs", 7)})}})
	g.Outputs = outs
	s, err := NewSession(g, Options{Threads: 1})
	require.NoError(t, err)
	defer s.Close()
	xt := ir.FromSlice([]float32{-1, 2, -3, 4, -5, 6}, 2, 3)
	res := make([]*ir.Tensor, 3)
	for r := range 4 {
		c := r%2 == 0
		require.NoError(t, s.RunInto(context.Background(), []*ir.Tensor{xt, ir.Scalar(c)}, res))
		k := float32(7)
		if c {
			k = 5
		}
		for i, v := range xt.F32() {
			want := v
			if c {
				want = -v
			} else if v < 0 {
				want = -v
			}
			require.Equal(t, want, res[0].F32()[i], "run %d y[%d]", r, i)
			require.Equal(t, v, res[1].F32()[i], "run %d xo[%d]", r, i)
		}
		require.Equal(t, []float32{k, k + 1}, res[2].F32(), "run %d k", r)
	}
}
