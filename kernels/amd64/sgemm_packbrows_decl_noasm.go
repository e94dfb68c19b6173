//go:build noasm

package amd64

// PackBRowsAVX is PackBRowsGo under the noasm tag.
func PackBRowsAVX(kc int, b []float32, ldb int, dst []float32, nr int) {
	PackBRowsGo(kc, b, ldb, dst, nr)
}
