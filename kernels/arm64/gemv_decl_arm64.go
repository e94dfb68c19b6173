//go:build !noasm

package arm64

// GemvPanels16NEON is the NEON small-batch GEMV kernel over panels of 16
// outputs (four q registers per step of k) for m = 1 or 2 rows of x. Its
// math is GemvPanelsGo with width 16; operands must be at least as long as
// stated there.
//
//go:noescape
func GemvPanels16NEON(m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32)
