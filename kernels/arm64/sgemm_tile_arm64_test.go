package arm64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

const guard = 37 // NaN elements on each side of every buffer

// guarded returns a buffer of n elements surrounded by NaN guards, and the
// inner slice (capacity limited to n).
func guarded(n int) (full, inner []float32) {
	full = make([]float32, n+2*guard)
	for i := range full {
		full[i] = float32(math.NaN())
	}
	return full, full[guard : guard+n : guard+n]
}

func checkGuards(t *testing.T, what string, full []float32, n int) {
	t.Helper()
	for i := 0; i < guard; i++ {
		if !math.IsNaN(float64(full[i])) || !math.IsNaN(float64(full[guard+n+i])) {
			t.Fatalf("%s: guard region overwritten", what)
		}
	}
}

// smallInts fills s with integers in [-4, 4]: products and sums are exact,
// so the kernel must match its twin bit for bit.
func smallInts(r *rand.Rand, s []float32) {
	for i := range s {
		s[i] = float32(r.IntN(9) - 4)
	}
}

func TestSgemm8x12AgainstTwin(t *testing.T) {
	if runtime.GOARCH != "arm64" {
		t.Skip("NEON kernels run on arm64 only (use qemu-aarch64)")
	}
	r := rand.New(rand.NewPCG(1, 2))
	for k := 0; k <= 70; k++ {
		for _, ab := range [][2]float32{{1, 0}, {1, 1}, {-1, 2}, {0.5, -0.5}, {2, 0}} {
			for _, act := range []int{ActNone, ActReLU} {
				for _, withBias := range []bool{false, true} {
					runTile(t, r, k, ab[0], ab[1], act, withBias)
				}
			}
		}
	}
	runTile(t, r, 1000, 1, 1, ActReLU, true)
}

func runTile(t *testing.T, r *rand.Rand, k int, alpha, beta float32, act int, withBias bool) {
	t.Helper()
	const mr, nr = 8, 12
	ldc := nr + 3
	nc := (mr-1)*ldc + nr
	aFull, a := guarded(mr * k)
	bFull, b := guarded(nr * k)
	smallInts(r, a)
	smallInts(r, b)
	var bias []float32
	biasFull, biasIn := guarded(nr)
	if withBias {
		smallInts(r, biasIn)
		bias = biasIn
	}
	cFull, c := guarded(nc)
	wFull, want := guarded(nc)
	for i := range c {
		if beta != 0 {
			c[i] = float32(r.IntN(9) - 4)
		}
		want[i] = c[i]
	}
	aCopy := append([]float32(nil), a...)
	bCopy := append([]float32(nil), b...)
	Sgemm8x12Go(k, a, b, want, ldc, alpha, beta, bias, act)
	Sgemm8x12NEON(k, a, b, c, ldc, alpha, beta, bias, act)
	what := fmt.Sprintf("k=%d alpha=%v beta=%v act=%d bias=%v", k, alpha, beta, act, withBias)
	checkGuards(t, what+" a", aFull, len(a))
	checkGuards(t, what+" b", bFull, len(b))
	checkGuards(t, what+" bias", biasFull, nr)
	checkGuards(t, what+" c", cFull, nc)
	checkGuards(t, what+" twin c", wFull, nc)
	for i := range a {
		if a[i] != aCopy[i] {
			t.Fatalf("%s: A modified", what)
		}
	}
	for i := range b {
		if b[i] != bCopy[i] {
			t.Fatalf("%s: B modified", what)
		}
	}
	for i := range c {
		if c[i] != want[i] && !(math.IsNaN(float64(c[i])) && math.IsNaN(float64(want[i]))) {
			t.Fatalf("%s: c[%d,%d] = %v, want %v", what, i/ldc, i%ldc, c[i], want[i])
		}
	}
}

func TestFMAPeakRuns(t *testing.T) {
	FMAPeakNEON(10)
	FMAPeakGo(10)
}
