//go:build noasm

package amd64

// VecSoftmax64AVX512 is VecSoftmax64Go under the noasm tag.
func VecSoftmax64AVX512(dst, x []float32) { VecSoftmax64Go(dst, x) }
