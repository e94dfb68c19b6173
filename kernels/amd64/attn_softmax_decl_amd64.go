//go:build !noasm

package amd64

// AttnSoftmaxAVX512 is the AVX-512 softmax of one row of any length, of
// x + add when add is not empty (attention's score rows with their
// additive mask, the Softmax op's rows); its math is AttnSoftmaxGo. The
// caller checks len(dst) ≥ len(x) and len(add) = 0 or ≥ len(x).
//
//go:noescape
func AttnSoftmaxAVX512(dst, x, add []float32)
