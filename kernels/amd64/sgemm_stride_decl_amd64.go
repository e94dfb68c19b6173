//go:build !noasm

package amd64

// Sgemm6x64StrideAVX512 is Sgemm6x64AVX512 reading B in place with row
// stride ldb (b[p*ldb+j]); its math is Sgemm6x64StrideGo.
//
//go:noescape
func Sgemm6x64StrideAVX512(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32, act int)

// Sgemm6x16StrideAVX2 is Sgemm6x16AVX2 reading B in place with row stride
// ldb (b[p*ldb+j]); its math is Sgemm6x16StrideGo.
//
//go:noescape
func Sgemm6x16StrideAVX2(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32, act int)
