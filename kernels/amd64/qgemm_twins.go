package amd64

// QGemmTile8x32Go computes one 8×32 tile of an exact 8-bit integer
// product, wrapping in int32 (every sum is taken modulo 2^32, so the
// result is exact whenever the true value fits in int32):
//
//	c[r·ldc + j] = rowAdd[r] + colMul[r]·colSum[j]
//	             + Σ_{g<k4} Σ_{i<4} a[(g·8 + r)·4 + i] · b[(g·32 + j)·4 + i]
//
// for r < rows ≤ 8 and j < cols ≤ 32; nothing else of c is written. a
// holds k4 groups of 8 rows × 4 signed bytes (the weights, prepacked), b
// k4 groups of 32 columns × 4 unsigned bytes (QPackK4x32's layout);
// rowAdd and colMul have 8 entries, colSum 32. rowAdd and colMul·colSum
// carry the zero-point corrections of the caller.
func QGemmTile8x32Go(k4 int, a []int8, b []uint8, c []int32, ldc, rows, cols int, rowAdd, colMul, colSum []int32) {
	a, b = a[:k4*32], b[:k4*128]
	for r := range rows {
		row := c[r*ldc : r*ldc+cols]
		for j := range row {
			s := rowAdd[r] + colMul[r]*colSum[j]
			for g := range k4 {
				ag := a[(g*8+r)*4 : (g*8+r)*4+4]
				bg := b[(g*32+j)*4 : (g*32+j)*4+4]
				s += int32(ag[0])*int32(bg[0]) + int32(ag[1])*int32(bg[1]) +
					int32(ag[2])*int32(bg[2]) + int32(ag[3])*int32(bg[3])
			}
			row[j] = s
		}
	}
}

// QPackK4x32Go interleaves 4·k4 rows of 32 unsigned bytes (row p at
// src[p·ld:]) into QGemmTile8x32's column layout, four consecutive rows
// per group, and writes each column's sum:
//
//	dst[(g·32 + j)·4 + i] = src[(4g + i)·ld + j]      (g < k4, i < 4, j < 32)
//	colSum[j] = Σ_{p < 4·k4} src[p·ld + j]
func QPackK4x32Go(dst, src []uint8, ld, k4 int, colSum []int32) {
	dst = dst[:k4*128]
	colSum = colSum[:32]
	clear(colSum)
	for g := range k4 {
		for i := range 4 {
			row := src[(4*g+i)*ld : (4*g+i)*ld+32]
			for j, v := range row {
				dst[(g*32+j)*4+i] = v
				colSum[j] += int32(v)
			}
		}
	}
}
