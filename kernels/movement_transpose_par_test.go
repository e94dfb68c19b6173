package kernels

import (
	"math"
	"math/rand"
	"testing"
)

// TestTransposeF32PoolMatchesSerial compares the split transpose with the
// serial one over shapes past the splitting threshold (leading unit axes
// included), and checks the input is unmodified.
func TestTransposeF32PoolMatchesSerial(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	cases := []struct {
		shape []int64
		perm  []int
	}{
		{[]int64{2, 128, 4, 16}, []int{0, 2, 1, 3}},
		{[]int64{1, 128, 4, 70}, []int{0, 2, 3, 1}},
		{[]int64{1, 64, 64, 24}, []int{0, 3, 1, 2}},
		{[]int64{1, 1, 300, 200}, []int{0, 1, 3, 2}},
		{[]int64{3, 5, 7, 11, 13}, []int{4, 2, 0, 3, 1}},
		{[]int64{40000, 1}, []int{1, 0}},
		{[]int64{5, 3}, []int{1, 0}},
	}
	for _, tc := range cases {
		n := 1
		for _, d := range tc.shape {
			n *= int(d)
		}
		x := make([]float32, n)
		for i := range x {
			x[i] = rng.Float32()
		}
		orig := append([]float32{}, x...)
		r := len(tc.shape)
		want := make([]float32, n)
		transposeF32(want, x, tc.shape, tc.perm, make([]int64, 3*r))
		for _, pool := range []Pool{Serial{}, testPool{2}, testPool{3}} {
			got := make([]float32, n)
			for i := range got {
				got[i] = float32(math.NaN())
			}
			transposeF32Pool(&Ctx{Pool: pool}, got, x, tc.shape, tc.perm, make([]int64, 3*r))
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%v perm %v threads %d: element %d = %v, want %v", tc.shape, tc.perm, pool.Threads(), i, got[i], want[i])
				}
			}
			for i := range x {
				if x[i] != orig[i] {
					t.Fatalf("input modified at %d", i)
				}
			}
		}
	}
}
