package kernels

import (
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestTransposeF32MatchesGeneric checks the float32 fast path against the
// generic permutation for every permutation of ranks 1 to 4 and odd sizes.
func TestTransposeF32MatchesGeneric(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for rank := 1; rank <= 4; rank++ {
		shape := []int64{3, 1, 4, 5}[:rank]
		n := ir.NumElements(shape)
		x := make([]float32, n)
		for i := range x {
			x[i] = r.Float32()
		}
		var perms [][]int
		var gen func(p []int, used []bool)
		gen = func(p []int, used []bool) {
			if len(p) == rank {
				perms = append(perms, append([]int{}, p...))
				return
			}
			for a := 0; a < rank; a++ {
				if !used[a] {
					used[a] = true
					gen(append(p, a), used)
					used[a] = false
				}
			}
		}
		gen(nil, make([]bool, rank))
		for _, p := range perms {
			got := make([]float32, n)
			transposeF32(got, x, shape, p, make([]int64, 3*rank))
			want := make([]float32, n)
			mvPermute(mvOf(want), mvOf(x), shape, p)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("shape %v perm %v: element %d = %v, want %v", shape, p, i, got[i], want[i])
				}
			}
		}
	}
}
