package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

type gemvKernel func(m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32)

type gemvVariant struct {
	name  string
	width int
	fn    gemvKernel
	twin  gemvKernel
	ok    bool
}

func gemvVariants() []gemvVariant {
	avx2 := runtime.GOARCH == "amd64" && cpu.X86.HasAVX2 && cpu.X86.HasFMA
	avx512 := avx2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL
	return []gemvVariant{
		{"avx512/64", 64, GemvPanels64AVX512, GemvPanels64Go, avx512},
		{"avx2/32", 32, GemvPanels32AVX2, GemvPanels32Go, avx2},
	}
}

func TestGemvPanelsAgainstTwin(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, v := range gemvVariants() {
		if !v.ok {
			t.Logf("%s: not supported on this CPU, skipped", v.name)
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			for k := 0; k <= 70; k++ {
				for _, m := range []int{1, 2} {
					for _, panels := range []int{0, 1, 3} {
						for _, ab := range [][2]float32{{1, 0}, {1, 1}, {-1, 2}, {0.5, -0.5}, {2, 0}} {
							runGemv(t, r, v, m, k, panels, ab[0], ab[1])
						}
					}
				}
			}
			runGemv(t, r, v, 2, 1000, 9, 1, 1)
			runGemv(t, r, v, 1, 777, 5, -1, 0.5)
		})
	}
}

func runGemv(t *testing.T, r *rand.Rand, v gemvVariant, m, k, panels int, alpha, beta float32) {
	t.Helper()
	ldx, ldy := k+5, panels*v.width+7
	na, nx, ny := panels*v.width*k, (m-1)*ldx+k, (m-1)*ldy+panels*v.width
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
	v.twin(m, k, panels, a, x, ldx, want, ldy, alpha, beta)
	v.fn(m, k, panels, a, x, ldx, y, ldy, alpha, beta)
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
		row, col := i/ldy, i%ldy
		if m == 1 && row > 0 {
			break
		}
		if col >= panels*v.width {
			// Between rows: never written.
			if !math.IsNaN(float64(want[i])) && y[i] != want[i] || math.IsNaN(float64(want[i])) != math.IsNaN(float64(y[i])) {
				t.Fatalf("%s: gap element %d changed: got %v want %v", what, i, y[i], want[i])
			}
			continue
		}
		if y[i] != want[i] {
			t.Fatalf("%s: y[%d,%d] = %v, twin %v", what, row, col, y[i], want[i])
		}
	}
}
