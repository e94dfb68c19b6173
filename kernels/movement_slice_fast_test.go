package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestStridedF32MatchesGeneric compares the float32 strided copy with the
// generic one on slices with negative steps, clamping and empty results.
func TestStridedF32MatchesGeneric(t *testing.T) {
	shape := []int64{4, 5, 6}
	x := make([]float32, ir.NumElements(shape))
	for i := range x {
		x[i] = float32(i)
	}
	cases := []ir.SliceArgs{
		{Starts: []int64{1, 0, 0}, Ends: []int64{3, 5, 6}},
		{Starts: []int64{-1}, Ends: []int64{-1000}, Axes: []int64{2}, Steps: []int64{-2}},
		{Starts: []int64{0, 4}, Ends: []int64{4, 0}, Axes: []int64{0, 1}, Steps: []int64{3, -1}},
		{Starts: []int64{2}, Ends: []int64{2}, Axes: []int64{1}},
		{Starts: []int64{0, 1, 1}, Ends: []int64{1000, 1000, 1000}, Steps: []int64{2, 2, 2}},
	}
	for _, a := range cases {
		starts, steps, out, err := ir.ResolveSlice(shape, a)
		if err != nil {
			t.Fatal(err)
		}
		st := mvStrides(shape)
		strides := make([]int, len(st))
		base := 0
		for i := range st {
			strides[i] = st[i] * int(steps[i])
			if out[i] > 0 {
				base += int(starts[i]) * st[i]
			}
		}
		n := ir.NumElements(out)
		got, want := make([]float32, n), make([]float32, n)
		stridedF32(got, x, out, strides, base, make([]int64, len(out)))
		mvStrided(mvOf(want), mvOf(x), out, strides, base)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%+v: element %d = %v, want %v", a, i, got[i], want[i])
			}
		}
	}
}
