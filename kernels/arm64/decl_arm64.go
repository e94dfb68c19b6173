//go:build !noasm

package arm64

// Sgemm8x12NEON is the NEON SGEMM micro-kernel: an 8×12 tile of C kept in
// 24 q registers, fed by a broadcast of A and three vectors of B per step
// of k. Its math is Sgemm8x12Go.
//
//go:noescape
func Sgemm8x12NEON(k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int)

// FMAPeakNEON runs n rounds of 24 independent 4-lane FMLAs on registers
// (FMAPeakNEONFlops FLOPs per round). Its twin is FMAPeakGo.
//
//go:noescape
func FMAPeakNEON(n int)
