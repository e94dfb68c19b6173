package amd64

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPackA6AgainstTwin compares PackA6SSE with PackA6Go for kc = 0..70
// and 1001 and several strides, with NaN guards around the destination
// and NaN in A beyond the six rows' kc columns (which must not be read).
func TestPackA6AgainstTwin(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	kcs := []int{1001}
	for kc := 0; kc <= 70; kc++ {
		kcs = append(kcs, kc)
	}
	for _, kc := range kcs {
		for _, extra := range []int{0, 1, 7} {
			lda := kc + extra
			n := 0
			if kc > 0 {
				n = 5*lda + kc
			}
			_, a := guarded(n)
			for i := range 6 {
				for p := range kc {
					a[i*lda+p] = float32(r.IntN(1000) - 500)
				}
			}
			aCopy := append([]float32(nil), a...)
			gotFull, got := guarded(6 * kc)
			_, want := guarded(6 * kc)
			PackA6Go(kc, a, lda, want)
			PackA6SSE(kc, a, lda, got)
			checkGuards(t, "dst", gotFull, 6*kc)
			for i := range a {
				if math.Float32bits(a[i]) != math.Float32bits(aCopy[i]) {
					t.Fatalf("kc=%d lda=%d: A modified", kc, lda)
				}
			}
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("kc=%d lda=%d: dst[%d] = %v, want %v", kc, lda, i, got[i], want[i])
				}
			}
		}
	}
}
