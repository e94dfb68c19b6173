//go:build !noasm

package amd64

// AttnSoftmaxRowsAVX512 is the AVX-512 softmax of rows rows of n elements,
// each plus its row of add when add is not empty (a strip of attention's
// score rows with their additive mask); its math is AttnSoftmaxRowsGo.
// The caller checks that every row it names lies inside its operand.
//
//go:noescape
func AttnSoftmaxRowsAVX512(dst []float32, ldd int, x []float32, ldx int, add []float32, ldadd int, n, rows int)

// AttnSoftmaxAVX512 is AttnSoftmaxRowsAVX512 on one row (the Softmax op's
// rows, attention's score rows between other per-row steps); its math is
// AttnSoftmaxGo. The caller checks len(dst) ≥ len(x) and len(add) = 0 or
// ≥ len(x).
func AttnSoftmaxAVX512(dst, x, add []float32) {
	AttnSoftmaxRowsAVX512(dst, 0, x, 0, add, 0, len(x), 1)
}
