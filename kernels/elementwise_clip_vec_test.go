package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/vecmath"
)

// TestClipF32MatchesLoop checks the vector Clip (ewClipF32) against the
// scalar loop at every supported level, over sizes 0..70 and a large one,
// with NaN and infinite inputs, one-sided, crossed (lo > hi) and NaN
// bounds; the input is left unmodified and nothing past the output is
// written.
func TestClipF32MatchesLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	bounds := [][2]float32{{0, 6}, {-0.4, inf}, {-inf, 1}, {-inf, inf}, {2, -1}, {nan, 3}, {-1, nan}}
	for _, lv := range isa.Supported() {
		vec := vecmath.For(lv)
		for _, n := range append(seqInts(71), 4099) {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(rng.NormFloat64() * 3)
				switch i % 17 {
				case 3:
					x[i] = nan
				case 5:
					x[i] = -inf
				case 7:
					x[i] = inf
				}
			}
			x0 := append([]float32(nil), x...)
			for _, b := range bounds {
				want := make([]float32, n)
				ewClipLoop(x, want, b[0], b[1])
				got := make([]float32, n+1)
				got[n] = 12345
				ewClipF32(vec, x, got[:n], b[0], b[1])
				for i := range want {
					w, g := want[i], got[i]
					if !(w == g || (w != w && g != g)) {
						t.Fatalf("%v n=%d bounds %v: y[%d] = %v, want %v (x %v)", lv, n, b, i, g, w, x[i])
					}
				}
				if got[n] != 12345 {
					t.Fatalf("%v n=%d: wrote past the output", lv, n)
				}
				for i := range x {
					if math.Float32bits(x[i]) != math.Float32bits(x0[i]) {
						t.Fatalf("%v n=%d: input modified", lv, n)
					}
				}
			}
		}
	}
}

func seqInts(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
