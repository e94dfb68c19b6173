//go:build noasm

package amd64

// VecSoftmax64AVX512 is VecSoftmax64Go under the noasm tag.
func VecSoftmax64AVX512(dst, x []float32) { VecSoftmax64Go(dst, x) }

// VecSoftmax128AVX512 is VecSoftmax128Go under the noasm tag.
func VecSoftmax128AVX512(dst, x []float32) { VecSoftmax128Go(dst, x) }
