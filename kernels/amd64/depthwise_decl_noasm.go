//go:build noasm

package amd64

// Dw3x3RowAVX512 is Dw3x3RowGo under the noasm tag.
func Dw3x3RowAVX512(dst, r0, r1, r2, k []float32, b float32, stride int) {
	dw3x3RowCheck(dst, r0, r1, r2, k, stride)
	Dw3x3RowGo(dst, r0, r1, r2, k, b, stride)
}

// Dw3x3RowAVX2 is Dw3x3RowGo under the noasm tag.
func Dw3x3RowAVX2(dst, r0, r1, r2, k []float32, b float32, stride int) {
	dw3x3RowCheck(dst, r0, r1, r2, k, stride)
	Dw3x3RowGo(dst, r0, r1, r2, k, b, stride)
}

// Dw3x3RowsAVX512 is Dw3x3RowsGo under the noasm tag.
func Dw3x3RowsAVX512(dst, x, k []float32, b float32, n, stride, pitch, step int) {
	Dw3x3RowsGo(dst, x, k, b, n, stride, pitch, step)
}
