//go:build noasm

package amd64

// GemvPanels64AVX512 is GemvPanels64Go under the noasm tag.
func GemvPanels64AVX512(m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) {
	GemvPanels64Go(m, k, panels, a, x, ldx, y, ldy, alpha, beta)
}

// GemvPanels32AVX2 is GemvPanels32Go under the noasm tag.
func GemvPanels32AVX2(m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) {
	GemvPanels32Go(m, k, panels, a, x, ldx, y, ldy, alpha, beta)
}
