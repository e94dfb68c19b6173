//go:build noasm

package amd64

// GemvPanels64x4AVX512 is GemvPanels64x4Go under the noasm tag.
func GemvPanels64x4AVX512(k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) {
	GemvPanels64x4Go(k, panels, a, x, ldx, y, ldy, alpha, beta)
}
