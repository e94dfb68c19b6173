//go:build noasm

package arm64

// GemvPanels16NEON is GemvPanels16Go under the noasm tag.
func GemvPanels16NEON(m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) {
	GemvPanels16Go(m, k, panels, a, x, ldx, y, ldy, alpha, beta)
}
