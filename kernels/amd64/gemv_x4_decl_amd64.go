//go:build !noasm

package amd64

// GemvPanels64x4AVX512 is the AVX-512 GEMV kernel for exactly four rows of
// x over panels of 64 outputs: one stream of each panel feeds all four
// rows. Its math is GemvPanels64x4Go; operands must be at least as long as
// stated there.
//
//go:noescape
func GemvPanels64x4AVX512(k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32)
