//go:build noasm

package amd64

// With the noasm tag every routine is its pure-Go twin.

// Sgemm6x64AVX512 is Sgemm6x64Go under the noasm tag.
func Sgemm6x64AVX512(k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
	Sgemm6x64Go(k, a, b, c, ldc, alpha, beta, bias, act)
}

// Sgemm6x16AVX2 is Sgemm6x16Go under the noasm tag.
func Sgemm6x16AVX2(k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
	Sgemm6x16Go(k, a, b, c, ldc, alpha, beta, bias, act)
}

// FMAPeakAVX512 is FMAPeakGo(n, 384) under the noasm tag.
func FMAPeakAVX512(n int) { FMAPeakGo(n, 384) }

// FMAPeakAVX2 is FMAPeakGo(n, 96) under the noasm tag.
func FMAPeakAVX2(n int) { FMAPeakGo(n, 96) }
