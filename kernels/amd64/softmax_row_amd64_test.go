package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// testSoftmaxRow is the harness of the one-call row softmax: asm against
// twin for every row length lo..hi, in place and out of place, with NaN
// guard regions around both operands, rows with -Inf entries (masked
// scores), and rows holding NaN, +Inf or only -Inf (NaN everywhere, like
// the three-pass softmax); x must be left unmodified.
func testSoftmaxRow(t *testing.T, asm, twin func(dst, x []float32), lo, hi int) {
	r := rand.New(rand.NewPCG(7, 8))
	ninf := float32(math.Inf(-1))
	for n := lo; n <= hi; n++ {
		for trial := range 8 {
			xFull, x := guarded(n)
			for i := range x {
				x[i] = float32(r.NormFloat64() * 4)
				if trial%2 == 1 && r.IntN(4) == 0 {
					x[i] = ninf
				}
			}
			if n > 0 {
				switch trial {
				case 4:
					x[r.IntN(n)] = float32(math.NaN())
				case 5:
					x[r.IntN(n)] = float32(math.Inf(1))
				case 6:
					for i := range x {
						x[i] = ninf
					}
				}
			}
			xWas := append([]float32(nil), x...)
			want := make([]float32, n)
			twin(want, x)
			what := fmt.Sprintf("n=%d trial=%d", n, trial)
			dFull, d := guarded(n)
			asm(d, x)
			checkGuards(t, what+" x", xFull, n)
			checkGuards(t, what+" dst", dFull, n)
			for i := range x {
				if math.Float32bits(x[i]) != math.Float32bits(xWas[i]) {
					t.Fatalf("%s: x modified", what)
				}
			}
			for i := range d {
				g, w := float64(d[i]), float64(want[i])
				if math.IsNaN(g) != math.IsNaN(w) || math.Abs(g-w) > 1e-6*math.Abs(w)+1e-30 {
					t.Fatalf("%s: dst[%d] = %v, twin %v", what, i, g, w)
				}
			}
			// In place.
			asm(x, x)
			checkGuards(t, what+" in place", xFull, n)
			for i := range x {
				g, w := float64(x[i]), float64(want[i])
				if math.IsNaN(g) != math.IsNaN(w) || math.Abs(g-w) > 1e-6*math.Abs(w)+1e-30 {
					t.Fatalf("%s in place: x[%d] = %v, twin %v", what, i, g, w)
				}
			}
		}
	}
}
