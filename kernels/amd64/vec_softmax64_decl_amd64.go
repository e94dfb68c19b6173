//go:build !noasm

package amd64

// VecSoftmax64AVX512 is the one-call softmax of a row of at most 64
// elements; its math is VecSoftmax64Go. The caller checks len(x) ≤ 64 and
// len(dst) ≥ len(x).
//
//go:noescape
func VecSoftmax64AVX512(dst, x []float32)
