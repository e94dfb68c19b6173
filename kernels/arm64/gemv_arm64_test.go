package arm64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestGemvPanels16AgainstTwin(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for k := 0; k <= 70; k++ {
		for _, m := range []int{1, 2} {
			for _, panels := range []int{0, 1, 3} {
				for _, ab := range [][2]float32{{1, 0}, {1, 1}, {-1, 2}, {0.5, -0.5}, {2, 0}} {
					runGemv16(t, r, m, k, panels, ab[0], ab[1])
				}
			}
		}
	}
	runGemv16(t, r, 2, 1000, 9, 1, 1)
	runGemv16(t, r, 1, 777, 5, -1, 0.5)
}

func runGemv16(t *testing.T, r *rand.Rand, m, k, panels int, alpha, beta float32) {
	t.Helper()
	const width = 16
	ldx, ldy := k+5, panels*width+7
	na, nx, ny := panels*width*k, (m-1)*ldx+k, (m-1)*ldy+panels*width
	aFull, a := guarded(na)
	xFull, x := guarded(nx)
	smallInts(r, a)
	smallInts(r, x)
	yFull, y := guarded(ny)
	wFull, want := guarded(ny)
	for i := range y {
		if beta == 0 {
			y[i] = float32(math.NaN()) // must not be read
		} else {
			y[i] = float32(r.IntN(9) - 4)
		}
		want[i] = y[i]
	}
	aCopy := append([]float32(nil), a...)
	xCopy := append([]float32(nil), x...)
	GemvPanels16Go(m, k, panels, a, x, ldx, want, ldy, alpha, beta)
	GemvPanels16NEON(m, k, panels, a, x, ldx, y, ldy, alpha, beta)
	what := fmt.Sprintf("m=%d k=%d panels=%d alpha=%v beta=%v", m, k, panels, alpha, beta)
	checkGuards(t, what+" a", aFull, na)
	checkGuards(t, what+" x", xFull, nx)
	checkGuards(t, what+" y", yFull, ny)
	checkGuards(t, what+" twin y", wFull, ny)
	for i := range a {
		if a[i] != aCopy[i] {
			t.Fatalf("%s: A modified", what)
		}
	}
	for i := range x {
		if x[i] != xCopy[i] {
			t.Fatalf("%s: x modified", what)
		}
	}
	for i := range y {
		same := y[i] == want[i] || (math.IsNaN(float64(y[i])) && math.IsNaN(float64(want[i])))
		if !same {
			t.Fatalf("%s: y[%d] = %v, twin %v", what, i, y[i], want[i])
		}
	}
}
