//go:build noasm

package amd64

// ConvTZipRowsAVX512 is ConvTZipRowsGo under the noasm tag.
func ConvTZipRowsAVX512(dst, a, b []float32, n, rows, ldd, lds, relu int, bias float32) {
	ConvTZipRowsGo(dst, a, b, n, rows, ldd, lds, relu, bias)
}
