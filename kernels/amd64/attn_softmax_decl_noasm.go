//go:build noasm

package amd64

// AttnSoftmaxRowsAVX512 is AttnSoftmaxRowsGo under the noasm tag.
func AttnSoftmaxRowsAVX512(dst []float32, ldd int, x []float32, ldx int, add []float32, ldadd int, n, rows int) {
	AttnSoftmaxRowsGo(dst, ldd, x, ldx, add, ldadd, n, rows)
}

// AttnSoftmaxAVX512 is AttnSoftmaxGo under the noasm tag.
func AttnSoftmaxAVX512(dst, x, add []float32) { AttnSoftmaxGo(dst, x, add) }
