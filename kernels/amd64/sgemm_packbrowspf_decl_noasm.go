//go:build noasm

package amd64

// PackBRowsPfAVX is PackBRowsGo under the noasm tag.
func PackBRowsPfAVX(kc int, b []float32, ldb int, dst []float32, nr, dist int) {
	PackBRowsGo(kc, b, ldb, dst, nr)
}
