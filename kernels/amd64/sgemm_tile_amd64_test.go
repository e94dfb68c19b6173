package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// tileKernel is the signature shared by the SGEMM micro-kernels and twins.
type tileKernel func(k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int)

type tileVariant struct {
	name   string
	mr, nr int
	fn     tileKernel
	twin   tileKernel
	ok     bool
}

func tileVariants() []tileVariant {
	avx2 := runtime.GOARCH == "amd64" && cpu.X86.HasAVX2 && cpu.X86.HasFMA
	avx512 := avx2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL
	return []tileVariant{
		{"avx512/6x64", 6, 64, Sgemm6x64AVX512, Sgemm6x64Go, avx512},
		{"avx2/6x16", 6, 16, Sgemm6x16AVX2, Sgemm6x16Go, avx2},
	}
}

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

// smallInts fills s with integers in [-4, 4] so that products and sums are
// exact in float32 and the kernel must match its twin bit for bit.
func smallInts(r *rand.Rand, s []float32) {
	for i := range s {
		s[i] = float32(r.IntN(9) - 4)
	}
}

func TestSgemmTileAgainstTwin(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, v := range tileVariants() {
		if !v.ok {
			t.Logf("%s: not supported on this CPU, skipped", v.name)
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			for k := 0; k <= 70; k++ {
				for _, ab := range [][2]float32{{1, 0}, {1, 1}, {-1, 2}, {0.5, -0.5}, {2, 0}} {
					for _, act := range []int{ActNone, ActReLU} {
						for _, withBias := range []bool{false, true} {
							runTile(t, r, v, k, ab[0], ab[1], act, withBias)
						}
					}
				}
			}
			runTile(t, r, v, 1000, 1, 1, ActReLU, true)
		})
	}
}

func runTile(t *testing.T, r *rand.Rand, v tileVariant, k int, alpha, beta float32, act int, withBias bool) {
	t.Helper()
	ldc := v.nr + 3
	nc := (v.mr-1)*ldc + v.nr
	aFull, a := guarded(v.mr * k)
	bFull, b := guarded(v.nr * k)
	smallInts(r, a)
	smallInts(r, b)
	var bias []float32
	biasFull, biasIn := guarded(v.nr)
	if withBias {
		smallInts(r, biasIn)
		bias = biasIn
	}
	cFull, c := guarded(nc)
	wFull, want := guarded(nc)
	for i := range c {
		if beta == 0 {
			c[i] = float32(math.NaN()) // must not be read
		} else {
			c[i] = float32(r.IntN(9) - 4)
		}
		want[i] = c[i]
	}
	aCopy := append([]float32(nil), a...)
	bCopy := append([]float32(nil), b...)
	v.twin(k, a, b, want, ldc, alpha, beta, bias, act)
	v.fn(k, a, b, c, ldc, alpha, beta, bias, act)
	what := fmt.Sprintf("k=%d alpha=%v beta=%v act=%d bias=%v", k, alpha, beta, act, withBias)
	checkGuards(t, what+" a", aFull, len(a))
	checkGuards(t, what+" b", bFull, len(b))
	checkGuards(t, what+" bias", biasFull, v.nr)
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
		// Outside the tile the twin leaves C alone too, so every element must match.
		if c[i] != want[i] && !(math.IsNaN(float64(c[i])) && math.IsNaN(float64(want[i]))) {
			t.Fatalf("%s: c[%d,%d] = %v, want %v", what, i/ldc, i%ldc, c[i], want[i])
		}
	}
}

func TestFMAPeakRuns(t *testing.T) {
	avx2 := cpu.X86.HasAVX2 && cpu.X86.HasFMA
	if avx2 {
		FMAPeakAVX2(10)
	}
	if avx2 && cpu.X86.HasAVX512F {
		FMAPeakAVX512(10)
	}
	FMAPeakGo(10, 8)
}
