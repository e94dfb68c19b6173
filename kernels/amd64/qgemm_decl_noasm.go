//go:build noasm

package amd64

// QGemmTile8x32VNNI is QGemmTile8x32Go under the noasm tag.
func QGemmTile8x32VNNI(k4 int, a []int8, b []uint8, c []int32, ldc, rows, cols int, rowAdd, colMul, colSum []int32) {
	QGemmTile8x32Go(k4, a, b, c, ldc, rows, cols, rowAdd, colMul, colSum)
}

// QPackK4x32AVX2 is QPackK4x32Go under the noasm tag.
func QPackK4x32AVX2(dst, src []uint8, ld, k4 int, colSum []int32) {
	QPackK4x32Go(dst, src, ld, k4, colSum)
}

// QGemmTile8x32AVX2 is QGemmTile8x32Go under the noasm tag.
func QGemmTile8x32AVX2(k4 int, a []int8, b []uint8, c []int32, ldc, rows, cols int, rowAdd, colMul, colSum []int32) {
	QGemmTile8x32Go(k4, a, b, c, ldc, rows, cols, rowAdd, colMul, colSum)
}
