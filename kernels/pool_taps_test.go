package kernels

import (
	"slices"
	"testing"
)

// TestPoolTaps checks poolTaps against visiting every tap of the kernel,
// and that a kernel of 2^31-1 taps costs only its in-range taps.
func TestPoolTaps(t *testing.T) {
	for start := int64(-9); start <= 9; start++ {
		for kernel := int64(1); kernel <= 6; kernel++ {
			for d := int64(1); d <= 3; d++ {
				for in := int64(0); in <= 7; in++ {
					for pe := int64(0); pe <= 3; pe++ {
						var want []int64
						cnt := 0
						for k := range kernel {
							p := start + k*d
							if p >= 0 && p < in {
								want = append(want, p)
							}
							if p < in+pe {
								cnt++
							}
						}
						got, gc := poolTaps(start, kernel, d, in, pe)
						if !slices.Equal(got, want) || gc != cnt {
							t.Fatalf("poolTaps(%d, %d, %d, %d, %d) = %v, %d; want %v, %d", start, kernel, d, in, pe, got, gc, want, cnt)
						}
					}
				}
			}
		}
	}
	const huge = 1<<31 - 1
	taps, cnt := poolTaps(-huge/2, huge, 1, 5, huge/2)
	if !slices.Equal(taps, []int64{0, 1, 2, 3, 4}) || cnt != huge {
		t.Fatalf("huge kernel: taps %v, count %d", taps, cnt)
	}
}
