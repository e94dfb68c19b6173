//go:build noasm

package amd64

// Sgemm6x64StrideAVX512 is Sgemm6x64StrideGo under the noasm tag.
func Sgemm6x64StrideAVX512(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
	Sgemm6x64StrideGo(k, a, b, ldb, c, ldc, alpha, beta, bias, act)
}

// Sgemm6x16StrideAVX2 is Sgemm6x16StrideGo under the noasm tag.
func Sgemm6x16StrideAVX2(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
	Sgemm6x16StrideGo(k, a, b, ldb, c, ldc, alpha, beta, bias, act)
}
