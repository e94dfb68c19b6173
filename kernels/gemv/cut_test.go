package gemv

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// TestCanCut checks CanCut against the kernels: wherever it allows a cut,
// the two calls must give every row of y the bits of one call (on values
// whose sums round, so that differing orders would show), and it must
// allow the cuts this package documents as exact (every cut of the
// portable loop, one- and two-row cuts on AVX-512) and refuse the ones
// that are not (a pair cut on AVX2, a four-row group cut on AVX-512).
func TestCanCut(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const n, k = 70, 37
	a := make([]float32, n*k)
	for i := range a {
		a[i] = float32(r.NormFloat64())
	}
	for _, l := range append([]isa.Level{isa.Generic}, isa.Supported()...) {
		p := Pack(l, n, k, a, k)
		for m := 1; m <= 6; m++ {
			x := make([]float32, m*k)
			for i := range x {
				x[i] = float32(r.NormFloat64())
			}
			whole := make([]float32, m*n)
			p.Mul(m, 1, x, k, 0, whole, n)
			for i := 1; i < m; i++ {
				if !p.CanCut(m, i) {
					continue
				}
				cut := make([]float32, m*n)
				p.Mul(i, 1, x, k, 0, cut, n)
				p.Mul(m-i, 1, x[i*k:], k, 0, cut[i*n:], n)
				for j := range whole {
					if math.Float32bits(whole[j]) != math.Float32bits(cut[j]) {
						t.Fatalf("%v m=%d cut at %d: y[%d] = %v, whole %v", l, m, i, j, cut[j], whole[j])
					}
				}
			}
		}
	}
	want := []struct {
		l       isa.Level
		m, i    int
		allowed bool
	}{
		{isa.Generic, 4, 1, true},
		{isa.Generic, 5, 2, true},
		{isa.AVX512, 2, 1, true},
		{isa.AVX512, 3, 1, true},
		{isa.AVX512, 6, 4, true},
		{isa.AVX512, 4, 2, false},
		{isa.AVX2, 2, 1, false},
		{isa.AVX2, 4, 2, true},
	}
	for _, w := range want {
		if w.l != isa.Generic && !isa.Has(w.l) {
			continue
		}
		if got := Pack(w.l, n, k, a, k).CanCut(w.m, w.i); got != w.allowed {
			t.Errorf("%v CanCut(%d, %d) = %v, want %v", w.l, w.m, w.i, got, w.allowed)
		}
	}
}
