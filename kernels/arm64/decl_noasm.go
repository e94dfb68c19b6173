//go:build noasm

package arm64

// Sgemm8x12NEON is Sgemm8x12Go under the noasm tag.
func Sgemm8x12NEON(k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
	Sgemm8x12Go(k, a, b, c, ldc, alpha, beta, bias, act)
}

// FMAPeakNEON is FMAPeakGo under the noasm tag.
func FMAPeakNEON(n int) { FMAPeakGo(n) }
