package amd64

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestNCHWcResizeLinearRowAgainstTwin compares the AVX-512 bilinear row
// with its Go twin over output widths 0..70 and a large one, with
// small-integer data and weights in quarters (so both are exact), NaN
// guard regions around the output, and inputs left unmodified.
func TestNCHWcResizeLinearRowAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(7, 13))
	quarters := []float32{0, 0.25, 0.5, 0.75, 1}
	for _, n := range append(nchwcResizeWidths(70), 517) {
		for _, inW := range []int{1, 2, 5, n/2 + 1, n + 3} {
			r0, r1 := make([]float32, inW*16), make([]float32, inW*16)
			smallInts(r, r0)
			smallInts(r, r1)
			ix, wx := make([]int32, 2*n), make([]float32, 2*n)
			for i := range ix {
				ix[i] = int32(r.IntN(inW))
				wx[i] = quarters[r.IntN(len(quarters))]
			}
			wy0, wy1 := quarters[r.IntN(len(quarters))], quarters[r.IntN(len(quarters))]
			in := [][]float32{slices.Clone(r0), slices.Clone(r1), slices.Clone(wx)}
			ixc := slices.Clone(ix)
			full, got := guarded(16 * n)
			want := make([]float32, 16*n)
			NCHWcResizeLinearRowGo(want, r0, r1, ix, wx, wy0, wy1)
			NCHWcResizeLinearRowAVX512(got, r0, r1, ix, wx, wy0, wy1)
			checkGuards(t, "NCHWcResizeLinearRow", full, 16*n)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("n=%d inW=%d: dst[%d] = %v, twin %v", n, inW, i, got[i], want[i])
				}
			}
			if !slices.Equal(in[0], r0) || !slices.Equal(in[1], r1) || !slices.Equal(in[2], wx) || !slices.Equal(ixc, ix) {
				t.Fatalf("n=%d inW=%d: an input was modified", n, inW)
			}
		}
	}
}

func nchwcResizeWidths(n int) []int {
	s := make([]int, n+1)
	for i := range s {
		s[i] = i
	}
	return s
}
