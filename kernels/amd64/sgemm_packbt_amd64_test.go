package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestPackBTransAgainstTwin compares PackBTransSSE with PackBTransGo for
// kc = 0..70 and 1001, 0..17 columns and several strides, with NaN guards
// around both buffers, NaN in b outside the packed block (which must not
// be read) and NaN in dst outside the packed columns (which must stay).
func TestPackBTransAgainstTwin(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	kcs := []int{1001}
	for kc := 0; kc <= 70; kc++ {
		kcs = append(kcs, kc)
	}
	for _, kc := range kcs {
		for _, cols := range []int{0, 3, 4, 5, 8, 13, 16, 17} {
			for _, extra := range []int{0, 3} {
				for _, nr := range []int{16, 64} {
					if cols > nr {
						continue
					}
					runPackBTrans(t, r, kc, kc+extra, cols, nr)
				}
			}
		}
	}
}

func runPackBTrans(t *testing.T, r *rand.Rand, kc, ldb, cols, nr int) {
	t.Helper()
	c4 := cols &^ 3
	nb, nd := 0, 0
	if kc > 0 && c4 > 0 {
		nb = (c4-1)*ldb + kc
		nd = (kc-1)*nr + c4
	}
	bFull, b := guarded(nb)
	for j := range c4 {
		for p := range kc {
			b[j*ldb+p] = float32(r.IntN(1000) - 500)
		}
	}
	bCopy := append([]float32(nil), b...)
	gotFull, got := guarded(nd)
	_, want := guarded(nd)
	for i := range got {
		got[i], want[i] = float32(math.NaN()), float32(math.NaN())
	}
	PackBTransGo(kc, b, ldb, cols, want, nr)
	PackBTransSSE(kc, b, ldb, cols, got, nr)
	what := fmt.Sprintf("kc=%d ldb=%d cols=%d nr=%d", kc, ldb, cols, nr)
	checkGuards(t, what+" b", bFull, nb)
	checkGuards(t, what+" dst", gotFull, nd)
	for i := range b {
		if math.Float32bits(b[i]) != math.Float32bits(bCopy[i]) {
			t.Fatalf("%s: b modified", what)
		}
	}
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: dst[%d] = %v, want %v", what, i, got[i], want[i])
		}
	}
}
