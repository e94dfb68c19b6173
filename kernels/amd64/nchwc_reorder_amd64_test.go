package amd64

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestNCHWcGatherAgainstTwin compares the AVX-512 gather with its Go
// twin over plane sizes 0..70 and a large one,
// every lane count and two plane strides, with NaN guard regions around
// the output and the inputs left unmodified.
func TestNCHWcGatherAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(21, 8))
	for _, hw := range append(nchwcResizeWidths(70), 4099) {
		for _, extra := range []int{0, 3} {
			stride := hw + extra
			var idx [16]int32
			for l := range idx {
				idx[l] = int32(l * stride)
			}
			planes := make([]float32, 16*stride)
			smallInts(r, planes)
			keepPlanes := slices.Clone(planes)
			for lanes := 1; lanes <= 16; lanes++ {
				full, got := guarded(16 * hw)
				want := make([]float32, 16*hw)
				NCHWcGatherGo(want, planes, &idx, lanes)
				NCHWcGatherAVX512(got, planes, &idx, lanes)
				checkGuards(t, "NCHWcGather", full, 16*hw)
				if !slices.Equal(got, want) || !slices.Equal(planes, keepPlanes) {
					t.Fatalf("gather hw=%d stride=%d lanes=%d: differs from the twin or modified src", hw, stride, lanes)
				}
			}
		}
	}
}
