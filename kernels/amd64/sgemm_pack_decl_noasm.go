//go:build noasm

package amd64

// PackA6SSE is PackA6Go under the noasm tag.
func PackA6SSE(kc int, a []float32, lda int, dst []float32) { PackA6Go(kc, a, lda, dst) }
