//go:build !noasm

package amd64

// VecSoftmax64AVX512 is the one-call softmax of a row of at most 64
// elements; its math is VecSoftmax64Go. The caller checks len(x) ≤ 64 and
// len(dst) ≥ len(x).
//
//go:noescape
func VecSoftmax64AVX512(dst, x []float32)

// VecSoftmax128AVX512 is the one-call softmax of a row of 65 to 128
// elements; its math is VecSoftmax128Go. The caller checks
// 64 < len(x) ≤ 128 and len(dst) ≥ len(x).
//
//go:noescape
func VecSoftmax128AVX512(dst, x []float32)
