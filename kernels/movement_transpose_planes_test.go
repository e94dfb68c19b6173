package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestTransposePlanesMatchesGeneric checks the float32 Transpose against
// the generic permutation for every permutation of shapes whose plane
// swaps take each loop (2, 3, 4 channels and the tiled one, more pixels
// than a tile), with batches and unit axes, serially and over threads;
// and that the swap is recognised where tf2onnx models need it.
func TestTransposePlanesMatchesGeneric(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for _, shape := range [][]int64{{2, 5, 7, 3}, {1, 6, 5, 4}, {3, 4, 1, 2}, {2, 3, 17}, {1, 20, 20, 6}, {2, 1, 3, 4, 2}, {1, 9, 30, 16}} {
		n := ir.NumElements(shape)
		x := make([]float32, n)
		for i := range x {
			x[i] = r.Float32()
		}
		for _, p := range allPerms(len(shape)) {
			want := make([]float32, n)
			mvPermute(mvOf(want), mvOf(x), shape, p)
			for _, pool := range []Pool{nil, testPool{3}} {
				got := make([]float32, n)
				transposeF32Pool(&Ctx{Pool: pool}, got, x, shape, p, make([]int64, 3*len(shape)))
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("shape %v perm %v pool %v: element %d = %v, want %v", shape, p, pool, i, got[i], want[i])
					}
				}
			}
		}
	}
	for _, c := range []struct {
		shape []int64
		perm  []int
		swap  bool
	}{
		{[]int64{1, 128, 128, 3}, []int{0, 3, 1, 2}, true}, // NHWC → NCHW
		{[]int64{2, 4, 160, 160}, []int{0, 2, 3, 1}, true}, // NCHW → NHWC
		{[]int64{1, 32, 16, 16}, []int{0, 2, 3, 1}, false}, // too many channels
		{[]int64{1, 8, 8, 3}, []int{0, 2, 1, 3}, false},    // H ↔ W: no plane swap
		{[]int64{4, 9, 3, 5}, []int{0, 1, 3, 2}, true},     // a batch of [3, 5] ↔ [5, 3]
		{[]int64{1, 1, 640, 640, 3}, []int{0, 4, 1, 2, 3}, true},
	} {
		tmp := make([]int64, 3*len(c.shape))
		var strides [8]int
		outShape, st := transposeStrides(c.shape, c.perm, tmp, strides[:0])
		if _, ok := findPlaneSwap(outShape, st); ok != c.swap {
			t.Errorf("shape %v perm %v: plane swap %v, want %v", c.shape, c.perm, ok, c.swap)
		}
	}
}

// TestTransposePlanesLarge checks big plane swaps over threads (parts
// that start and end inside a block), and two strided splits, against the
// generic permutation.
func TestTransposePlanesLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for _, c := range []struct {
		shape []int64
		perm  []int
	}{{[]int64{1, 200, 190, 3}, []int{0, 3, 1, 2}}, {[]int64{3, 4, 70, 90}, []int{0, 2, 3, 1}}, {[]int64{2, 50, 60, 7}, []int{0, 3, 1, 2}},
		{[]int64{2, 40, 30, 20}, []int{0, 2, 1, 3}}, {[]int64{3, 50, 40, 8}, []int{2, 0, 3, 1}}} { // the last two: strided splits
		n := ir.NumElements(c.shape)
		x := make([]float32, n)
		for i := range x {
			x[i] = r.Float32()
		}
		want, got := make([]float32, n), make([]float32, n)
		mvPermute(mvOf(want), mvOf(x), c.shape, c.perm)
		transposeF32Pool(&Ctx{Pool: testPool{3}}, got, x, c.shape, c.perm, make([]int64, 3*len(c.shape)))
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("shape %v perm %v: element %d = %v, want %v", c.shape, c.perm, i, got[i], want[i])
			}
		}
	}
}

func allPerms(rank int) [][]int {
	var perms [][]int
	var gen func(p []int, used []bool)
	gen = func(p []int, used []bool) {
		if len(p) == rank {
			perms = append(perms, append([]int{}, p...))
			return
		}
		for a := range rank {
			if !used[a] {
				used[a] = true
				gen(append(p, a), used)
				used[a] = false
			}
		}
	}
	gen(nil, make([]bool, rank))
	return perms
}

// BenchmarkTransposePlanes compares the plane swap with the strided copy
// it replaces, on tf2onnx's image inputs and a head's output, one thread.
func BenchmarkTransposePlanes(b *testing.B) {
	for _, c := range []struct {
		shape []int64
		perm  []int
	}{{[]int64{1, 128, 128, 3}, []int{0, 3, 1, 2}}, {[]int64{1, 320, 320, 4}, []int{0, 3, 1, 2}}, {[]int64{1, 4, 160, 160}, []int{0, 2, 3, 1}}} {
		n := ir.NumElements(c.shape)
		x, y := make([]float32, n), make([]float32, n)
		tmp := make([]int64, 3*len(c.shape))
		b.Run(fmt.Sprintf("%v/planes", c.shape), func(b *testing.B) {
			b.SetBytes(int64(8 * n))
			for b.Loop() {
				transposeF32(y, x, c.shape, c.perm, tmp)
			}
		})
		b.Run(fmt.Sprintf("%v/strided", c.shape), func(b *testing.B) {
			b.SetBytes(int64(8 * n))
			var strides [8]int
			for b.Loop() {
				outShape, st := transposeStrides(c.shape, c.perm, tmp, strides[:0])
				stridedF32(y, x, outShape, st, 0, tmp[2*len(c.shape):])
			}
		})
	}
}

// TestTransposePlanesNoAllocs checks that the Transpose kernel's plane
// swap, serial and split over a pool, and the strided copy split over a
// pool allocate nothing per call with a planned output (their jobs are
// recycled, not captured by closures).
func TestTransposePlanesNoAllocs(t *testing.T) {
	for _, c := range []struct {
		pool Pool
		perm []int64
		out  []int64
	}{
		{Serial{}, []int64{0, 3, 1, 2}, []int64{1, 3, 120, 100}},
		{inlinePool{2}, []int64{0, 3, 1, 2}, []int64{1, 3, 120, 100}},
		{inlinePool{2}, []int64{0, 2, 1, 3}, []int64{1, 100, 120, 3}}, // the strided split
	} {
		pool := c.pool
		x := ir.NewTensor(ir.Float32, []int64{1, 120, 100, 3})
		n := &ir.Node{Name: "t", Op: "Transpose", Opset: 13, Attrs: ir.Attrs{"perm": {Name: "perm", Kind: ir.AttrInts, Ints: c.perm}},
			Inputs: []*ir.Value{{Name: "x", Type: ir.TypeOfTensor(x)}}, Outputs: []*ir.Value{{Name: "y"}}}
		if err := ir.InferNode(n); err != nil {
			t.Fatal(err)
		}
		f, err := BuildNode(&Build{Node: n, InTypes: []*ir.Type{&n.Inputs[0].Type}, Level: isa.Current()})
		if err != nil {
			t.Fatal(err)
		}
		ctx := &Ctx{Outs: make([]*ir.Tensor, 1), Planned: []*ir.Tensor{ir.NewTensor(ir.Float32, c.out)}, Pool: pool, Node: n}
		in := []*ir.Tensor{x}
		run := func() {
			if err := f(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		run()
		if got := allocstest.PerRun(20, run); got > 0 {
			t.Errorf("pool %T perm %v: %v allocations per call, want 0", pool, c.perm, got)
		}
	}
}
