//go:build !noasm

package amd64

// Dw3x3RowAVX512 is the AVX-512 form of Dw3x3RowGo (same math and operand
// rules): 16 outputs per step, the tail under a lane mask; stride 2 splits
// the input rows into even and odd elements with two-table permutes.
func Dw3x3RowAVX512(dst, r0, r1, r2, k []float32, b float32, stride int) {
	dw3x3RowCheck(dst, r0, r1, r2, k, stride)
	if len(dst) == 0 {
		return
	}
	dw3x3RowAVX512(&dst[0], &r0[0], &r1[0], &r2[0], &k[0], b, len(dst), stride)
}

// Dw3x3RowAVX2 is the AVX2+FMA form of Dw3x3RowGo (same math and operand
// rules): 8 outputs per step; the last len(dst) mod 8 outputs go through
// Dw3x3RowGo.
func Dw3x3RowAVX2(dst, r0, r1, r2, k []float32, b float32, stride int) {
	dw3x3RowCheck(dst, r0, r1, r2, k, stride)
	n := len(dst) &^ 7
	if n > 0 {
		dw3x3RowAVX2(&dst[0], &r0[0], &r1[0], &r2[0], &k[0], b, n, stride)
	}
	o := n * stride
	Dw3x3RowGo(dst[n:], r0[o:], r1[o:], r2[o:], k, b, stride)
}

//go:noescape
func dw3x3RowAVX512(dst, r0, r1, r2, k *float32, b float32, n, stride int)

//go:noescape
func dw3x3RowAVX2(dst, r0, r1, r2, k *float32, b float32, n, stride int)

// Dw3x3RowsAVX512 is the AVX-512 form of Dw3x3RowsGo (same math and
// operand rules): the row loop of Dw3x3RowAVX512 inside one call.
func Dw3x3RowsAVX512(dst, x, k []float32, b float32, n, stride, pitch, step int) {
	dw3x3RowsCheck(dst, x, k, n, stride, pitch, step)
	if len(dst) == 0 {
		return
	}
	dw3x3RowsAVX512(&dst[0], &x[0], &k[0], b, n, stride, len(dst)/n, pitch, step)
}

//go:noescape
func dw3x3RowsAVX512(dst, x, k *float32, b float32, n, stride, rows, pitch, step int)
