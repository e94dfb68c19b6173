//go:build !noasm

package amd64

// GemvPanels64AVX512 is the AVX-512 small-batch GEMV kernel over panels of
// 64 outputs (four zmm registers per step of k) for m = 1 or 2 rows of x.
// Its math is GemvPanelsGo with width 64; operands must be at least as long
// as stated there.
//
//go:noescape
func GemvPanels64AVX512(m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32)

// GemvPanels32AVX2 is the AVX2+FMA small-batch GEMV kernel over panels of
// 32 outputs (four ymm registers per step of k) for m = 1 or 2 rows of x.
// Its math is GemvPanelsGo with width 32.
//
//go:noescape
func GemvPanels32AVX2(m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32)
