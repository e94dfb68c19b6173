package amd64

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestNCHWcLaneCopyAgainstTwin compares the AVX-512 lane copy with its Go
// twin over pixel counts 0..70 and a large one, every lane range and
// shift, with NaN guard regions around dst and src left unmodified.
func TestNCHWcLaneCopyAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(5, 9))
	for _, n := range append(nchwcResizeWidths(70), 1031) {
		src := make([]float32, 16*n)
		smallInts(r, src)
		keep := slices.Clone(src)
		for lo := 0; lo < 16; lo++ {
			for hi := lo + 1; hi <= 16; hi++ {
				for shift := -lo; hi+shift <= 16; shift += 1 + (n % 3) {
					full, got := guarded(16 * n)
					want := make([]float32, 16*n)
					smallInts(r, got)
					copy(want, got)
					NCHWcLaneCopyGo(want, src, lo, hi, shift)
					NCHWcLaneCopyAVX512(got, src, lo, hi, shift)
					checkGuards(t, "NCHWcLaneCopy", full, 16*n)
					if !slices.Equal(got, want) {
						t.Fatalf("n=%d lo=%d hi=%d shift=%d: differs from the twin", n, lo, hi, shift)
					}
				}
			}
		}
		if !slices.Equal(src, keep) {
			t.Fatalf("n=%d: src modified", n)
		}
	}
}
