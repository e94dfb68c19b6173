package runtime

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
)

// TestFusedElementwiseSteadyState runs a chain of elementwise ops that
// fuse-elementwise turns into one nncc.FusedElementwise, large enough to
// be split across threads: Runs allocate nothing and the fused graph
// really has the fused op.
func TestFusedElementwiseSteadyState(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	build := func() *ir.Graph {
		g := &ir.Graph{Name: "ew", Opsets: map[string]int64{"": 17}}
		x := &ir.Value{Name: "x", Type: ir.TensorType(ir.Float32, 4, 16, 32, 32)}
		g.Inputs = []*ir.Value{x}
		bias := &ir.Value{Name: "b", Const: ir.FromSlice(make([]float32, 16), 16, 1, 1)}
		bias.Type = ir.TypeOfTensor(bias.Const)
		g.Constants = []*ir.Value{bias}
		v := x
		for i, op := range []string{"Add", "Relu", "Sigmoid", "Neg", "Exp"} {
			o := &ir.Value{Name: "v" + itoa(i)}
			ins := []*ir.Value{v}
			if op == "Add" {
				ins = append(ins, bias)
			}
			g.AddNode(&ir.Node{Name: op, Op: op, Opset: 17, Inputs: ins, Outputs: []*ir.Value{o}, Attrs: ir.Attrs{}})
			v = o
		}
		g.Outputs = []*ir.Value{v}
		return g
	}
	for _, threads := range []int{1, 2} {
		s, err := NewSession(build(), Options{Threads: threads})
		require.NoError(t, err)
		require.Contains(t, ir.Format(s.Graph()), "nncc.FusedElementwise")
		in := ir.NewTensor(ir.Float32, []int64{4, 16, 32, 32})
		for i, d := 0, in.F32(); i < len(d); i++ {
			d[i] = float32(i%97)/16 - 3
		}
		outs := []*ir.Tensor{ir.NewTensor(ir.Float32, in.Shape)}
		ctx := context.Background()
		for range 3 {
			require.NoError(t, s.RunInto(ctx, []*ir.Tensor{in}, outs))
		}
		allocs := allocstest.PerRun(20, func() {
			if err := s.RunInto(ctx, []*ir.Tensor{in}, outs); err != nil {
				t.Fatal(err)
			}
		})
		require.Zero(t, allocs, "threads=%d", threads)
		require.NoError(t, s.Close())
	}
}
