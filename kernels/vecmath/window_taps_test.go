package vecmath

import (
	"slices"
	"testing"
)

// TestEachTap checks EachTap and tapCount against visiting every tap.
func TestEachTap(t *testing.T) {
	for k := 1; k <= 6; k++ {
		for d := 1; d <= 3; d++ {
			for n := 0; n <= 5; n++ {
				for out := 0; out <= 4; out++ {
					for s := 1; s <= 4; s++ {
						for p := 0; p <= 7; p++ {
							var want, got []int
							for tp := range k {
								for o := range out {
									if i := o*s - p + tp*d; i >= 0 && i < n {
										want = append(want, tp)
										break
									}
								}
							}
							EachTap(k, d, n, out, s, p, func(tp int) { got = append(got, tp) })
							if !slices.Equal(got, want) {
								t.Fatalf("EachTap(k %d, d %d, n %d, out %d, s %d, p %d) = %v, want %v", k, d, n, out, s, p, got, want)
							}
							for lo := -3; lo <= 2; lo++ {
								for hi := lo; hi <= n+3; hi++ {
									c := 0
									for tp := range k {
										if i := -p + tp*d; i >= lo && i < hi {
											c++
										}
									}
									if g := tapCount(-p, k, d, lo, hi); g != c {
										t.Fatalf("tapCount(%d, %d, %d, %d, %d) = %d, want %d", -p, k, d, lo, hi, g, c)
									}
								}
							}
						}
					}
				}
			}
		}
	}
	// A kernel of 2^31-1 taps over a 3-wide plane padded by 2^30 on
	// each side (stride 2^30) visits the in-plane taps of outputs 0 and 1
	// only: three each.
	var got []int
	EachTap(1<<31-1, 1, 3, 3, 1<<30, 1<<30, func(tp int) { got = append(got, tp) })
	if len(got) != 6 {
		t.Fatalf("huge kernel: visited %d taps, want 6", len(got))
	}
}
