package amd64

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestGemvPanels64x4AgainstTwin compares the four-row AVX-512 GEMV kernel
// with its Go twin over k = 0..70 and a large k, with NaN guards around
// every buffer and NaN in y when beta == 0 (y must not be read).
func TestGemvPanels64x4AgainstTwin(t *testing.T) {
	if runtime.GOARCH != "amd64" || !(cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL && cpu.X86.HasFMA) {
		t.Skip("no AVX-512 on this CPU")
	}
	v := gemvVariant{
		name:  "avx512/64x4",
		width: 64,
		fn: func(m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) {
			GemvPanels64x4AVX512(k, panels, a, x, ldx, y, ldy, alpha, beta)
		},
		twin: func(m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) {
			GemvPanels64x4Go(k, panels, a, x, ldx, y, ldy, alpha, beta)
		},
		ok: true,
	}
	r := rand.New(rand.NewPCG(5, 6))
	for k := 0; k <= 70; k++ {
		for _, panels := range []int{0, 1, 3} {
			for _, ab := range [][2]float32{{1, 0}, {1, 1}, {-1, 2}, {0.5, -0.5}, {2, 0}} {
				runGemv(t, r, v, 4, k, panels, ab[0], ab[1])
			}
		}
	}
	runGemv(t, r, v, 4, 1000, 9, 1, 1)
	runGemv(t, r, v, 4, 784, 2, -1, 0)
}
