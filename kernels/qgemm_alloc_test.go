package kernels_test

import (
	"context"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// TestIntegerKernelsSteadyStateAllocs: a model of ConvInteger,
// MatMulInteger, QLinearConv and QLinearMatMul with constant weights (one of them with
// sums past 2^24, so it runs several tap chunks), built with the builder,
// allocates nothing per Run once warm, at one and two threads.
func TestIntegerKernelsSteadyStateAllocs(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	u8 := func(n int, lo, hi int) []uint8 {
		d := make([]uint8, n)
		for i := range d {
			d[i] = uint8(lo + rng.Intn(hi-lo+1))
		}
		return d
	}
	i8 := func(n int) []int8 {
		d := make([]int8, n)
		for i := range d {
			d[i] = int8(rng.Intn(256) - 128)
		}
		return d
	}
	b := builder.New("integer_allocs", 13)
	x := b.Input("x", ir.Uint8, 1, 32, 12, 12)
	xz := b.Const(ir.Scalar(uint8(128)))
	w1 := b.Const(ir.FromSlice(i8(16*32*9), 16, 32, 3, 3))
	c1 := b.ConvInteger(x, w1, builder.Inputs(xz, b.Const(ir.Scalar(int8(2)))), builder.AttrPads(1, 1, 1, 1))
	// Extreme weights: 255·Σ|w − wz| passes 2^24, several tap chunks.
	w2 := b.Const(ir.FromSlice(u8(4*32*9, 255, 255), 4, 32, 3, 3))
	c2 := b.ConvInteger(x, w2, builder.Inputs(xz, b.Const(ir.Scalar(uint8(0)))), builder.AttrStrides(2, 2))
	a := b.Input("a", ir.Uint8, 3, 40)
	mm := b.MatMulInteger(a, b.Const(ir.FromSlice(i8(40*24), 40, 24)),
		builder.Inputs(b.Const(ir.FromSlice(u8(3, 0, 255), 3)), b.Const(ir.FromSlice(i8(24), 24))))
	ws := make([]float32, 8)
	for i := range ws {
		ws[i] = 0.01 * float32(i+1)
	}
	q := b.QLinearConv(x, b.Const(ir.Scalar(float32(0.02))), xz, b.Const(ir.FromSlice(i8(8*32*9), 8, 32, 3, 3)),
		b.Const(ir.FromSlice(ws, 8)), b.Const(ir.FromSlice(make([]int8, 8), 8)), b.Const(ir.Scalar(float32(0.5))),
		b.Const(ir.Scalar(uint8(100))), builder.Inputs(b.Const(ir.FromSlice(make([]int32, 8), 8))), builder.AttrPads(1, 1, 1, 1))
	qm := b.QLinearMatMul(a, b.Const(ir.Scalar(float32(0.02))), b.Const(ir.Scalar(uint8(120))),
		b.Const(ir.FromSlice(u8(40*6, 0, 255), 40, 6)), b.Const(ir.Scalar(float32(0.01))), b.Const(ir.Scalar(uint8(128))),
		b.Const(ir.Scalar(float32(0.5))), b.Const(ir.Scalar(uint8(128))))
	g, err := b.Build(b.Output("c1", c1), b.Output("c2", c2), b.Output("mm", mm), b.Output("q", q), b.Output("qm", qm))
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]*ir.Tensor{
		"x": ir.FromSlice(u8(32*12*12, 0, 255), 1, 32, 12, 12),
		"a": ir.FromSlice(u8(3*40, 0, 255), 3, 40),
	}
	for _, threads := range []int{1, 2} {
		s, err := runtime.NewSession(g, runtime.Options{Threads: threads, AlwaysParallel: true})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		first, err := s.Run(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		ins := []*ir.Tensor{in["x"], in["a"]}
		outs := []*ir.Tensor{first["c1"], first["c2"], first["mm"], first["q"], first["qm"]}
		if text := ir.Format(s.Graph()); !containsAll(text, "ConvInteger(", "MatMulInteger(", "QLinearConv(", "QLinearMatMul(") {
			t.Fatalf("the integer ops were rewritten; the test no longer runs their kernels:\n%s", text)
		}
		allocs := allocstest.PerRun(20, func() {
			if err := s.RunInto(ctx, ins, outs); err != nil {
				t.Fatal(err)
			}
		})
		s.Close()
		if allocs > 0 {
			t.Errorf("%d threads: %v allocations per Run", threads, allocs)
		}
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		found := false
		for i := 0; i+len(sub) <= len(s); i++ {
			if s[i:i+len(sub)] == sub {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
