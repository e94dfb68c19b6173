package kernels

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// attnGoPool runs each chunk of a loop on its own goroutine, so that the
// workers of a parallel attention really run at the same time.
type attnGoPool struct{ threads int }

func (p attnGoPool) Threads() int { return p.threads }
func (p attnGoPool) For(n, grain int, fn func(lo, hi int)) {
	var wg sync.WaitGroup
	for lo := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, lo+1)
		}()
	}
	wg.Wait()
}

// TestAttnParallelBitwise checks that attention split over workers (each
// taking batch entries from a shared counter) writes exactly the output of
// the single-thread run, on every level and on both the tile and the SGEMM
// path.
func TestAttnParallelBitwise(t *testing.T) {
	saved := attnParallelFlops
	attnParallelFlops = 0
	defer func() { attnParallelFlops = saved }()
	rng := rand.New(rand.NewPCG(7, 8))
	shapes := []struct {
		batch          []int
		sq, sk, dk, dv int
	}{
		{[]int{2}, 5, 7, 3, 4},
		{[]int{2, 4}, 16, 16, 8, 8},
		{[]int{3, 2}, 9, 17, 33, 5},
		{[]int{8}, 64, 64, 32, 32},
		{[]int{1, 5}, 13, 40, 16, 16},
	}
	for _, l := range isa.Supported() {
		for si, sh := range shapes {
			for threads := 2; threads <= 4; threads++ {
				g, o := attnCase(rng, sh.batch, sh.sq, sh.sk, sh.dk, sh.dv)
				if threads == 3 {
					g.causal = true
				}
				if err := g.finish(l); err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("%v/shape%d/threads%d", l, si, threads)
				scratch := func(n int) []float32 { return make([]float32, n) }
				y0 := slices.Clone(o.y)
				if err := runAttnF32(g, o, Serial{}, scratch); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				want := slices.Clone(o.y)
				copy(o.y, y0)
				if err := runAttnF32(g, o, attnGoPool{threads}, scratch); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				for i := range want {
					if o.y[i] != want[i] && (o.y[i] == o.y[i] || want[i] == want[i]) {
						t.Fatalf("%s: Y[%d] = %v on %d workers, %v on one", name, i, o.y[i], threads, want[i])
					}
				}
			}
		}
	}
}

// TestMatMulBatchParallelBitwise checks that a batched MatMul whose
// entries run on several threads (each taking entries from a shared
// counter) writes exactly the output of the single-thread run.
func TestMatMulBatchParallelBitwise(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, sh := range [][4]int64{{8, 128, 16, 128}, {8, 128, 128, 16}, {3, 70, 5, 70}, {5, 33, 40, 17}} {
		batch, m, k, n := sh[0], sh[1], sh[2], sh[3]
		a, b := ir.NewTensor(ir.Float32, []int64{batch, m, k}), ir.NewTensor(ir.Float32, []int64{batch, k, n})
		for _, x := range [][]float32{a.F32(), b.F32()} {
			for i := range x {
				x[i] = float32(rng.NormFloat64())
			}
		}
		node := &ir.Node{Name: "mm", Op: "MatMul", Opset: 13, Attrs: ir.Attrs{},
			Inputs:  []*ir.Value{{Name: "a", Type: ir.TypeOfTensor(a)}, {Name: "b", Type: ir.TypeOfTensor(b)}},
			Outputs: []*ir.Value{{Name: "y"}}}
		if err := ir.InferNode(node); err != nil {
			t.Fatal(err)
		}
		f, err := BuildNode(&Build{Node: node, InTypes: []*ir.Type{&node.Inputs[0].Type, &node.Inputs[1].Type}})
		if err != nil {
			t.Fatal(err)
		}
		var ys [][]float32
		for _, pool := range []Pool{Serial{}, attnGoPool{2}, attnGoPool{3}} {
			c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: pool, Node: node}
			if err := f(c, []*ir.Tensor{a, b}); err != nil {
				t.Fatal(err)
			}
			ys = append(ys, slices.Clone(c.Outs[0].F32()))
		}
		for p := 1; p < len(ys); p++ {
			if !slices.Equal(ys[0], ys[p]) {
				t.Fatalf("%v: pool %d gives a different product than one thread", sh, p)
			}
		}
	}
}
