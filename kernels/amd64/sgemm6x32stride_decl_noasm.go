//go:build noasm

package amd64

// Sgemm6x32StrideAVX512 is Sgemm6x32StrideGo under the noasm tag.
func Sgemm6x32StrideAVX512(k int, a, b []float32, ldb int, c []float32, ldc int, alpha float32) {
	Sgemm6x32StrideGo(k, a, b, ldb, c, ldc, alpha)
}
