//go:build !noasm

package amd64

// VecExpOldExp8AVX512 is the previous VecExpAVX512 (temporary A/B, exp8).
//
//go:noescape
func VecExpOldExp8AVX512(dst, x []float32)
