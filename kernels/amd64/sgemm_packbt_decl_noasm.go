//go:build noasm

package amd64

// PackBTransSSE is PackBTransGo under the noasm tag.
func PackBTransSSE(kc int, b []float32, ldb, cols int, dst []float32, nr int) {
	PackBTransGo(kc, b, ldb, cols, dst, nr)
}
