package amd64

import (
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestPackBRowsAgainstTwin compares PackBRowsAVX with PackBRowsGo for
// kc = 0..70 and 1001, nr 8..72 and several strides, with NaN guards
// around the destination and NaN in B outside the kc×nr block (which must
// not be read), and checks that B is not modified.
func TestPackBRowsAgainstTwin(t *testing.T) {
	if !cpu.X86.HasAVX {
		t.Skip("no AVX")
	}
	r := rand.New(rand.NewPCG(9, 10))
	kcs := []int{1001}
	for kc := 0; kc <= 70; kc++ {
		kcs = append(kcs, kc)
	}
	for _, kc := range kcs {
		for _, nr := range []int{8, 16, 24, 64, 72} {
			for _, extra := range []int{0, 5, 1024} {
				ldb := nr + extra
				n := 0
				if kc > 0 {
					n = (kc-1)*ldb + nr
				}
				_, b := guarded(n)
				for p := range kc {
					for j := range nr {
						b[p*ldb+j] = float32(r.IntN(1000) - 500)
					}
				}
				bCopy := append([]float32(nil), b...)
				gotFull, got := guarded(kc * nr)
				_, want := guarded(kc * nr)
				PackBRowsGo(kc, b, ldb, want, nr)
				PackBRowsAVX(kc, b, ldb, got, nr)
				checkGuards(t, "dst", gotFull, kc*nr)
				for i := range b {
					if math.Float32bits(b[i]) != math.Float32bits(bCopy[i]) {
						t.Fatalf("kc=%d nr=%d ldb=%d: B modified", kc, nr, ldb)
					}
				}
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("kc=%d nr=%d ldb=%d: dst[%d] = %v, want %v", kc, nr, ldb, i, got[i], want[i])
					}
				}
			}
		}
	}
}
