package amd64

// SgemmTileStrideGo is SgemmTileGo with the B micro-panel read with row
// stride ldb (b[p*ldb+j], j < nr) instead of nr, so that a row-major B is
// used in place: for i < mr and j < nr,
//
//	c[i*ldc+j] = act(alpha * Σ_{p<k} a[p*mr+i]*b[p*ldb+j] + beta*c[i*ldc+j] + bias[j])
//
// with the same conventions (beta == 0: C unread; bias optional).
func SgemmTileStrideGo(mr, nr, k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
	var accBuf [64 * 16]float32
	acc := accBuf[:mr*nr]
	for p := range k {
		ap := a[p*mr : p*mr+mr]
		bp := b[p*ldb : p*ldb+nr]
		for i, av := range ap {
			row := acc[i*nr : i*nr+nr]
			for j, bv := range bp {
				row[j] += av * bv
			}
		}
	}
	for i := range mr {
		crow := c[i*ldc : i*ldc+nr]
		for j := range nr {
			v := alpha * acc[i*nr+j]
			if beta != 0 {
				v += beta * crow[j]
			}
			if len(bias) > 0 {
				v += bias[j]
			}
			if act == ActReLU && v < 0 {
				v = 0
			}
			crow[j] = v
		}
	}
}

// Sgemm6x64StrideGo is the twin of Sgemm6x64StrideAVX512: SgemmTileStrideGo
// with mr=6, nr=64. It needs len(a) ≥ 6k, len(b) ≥ (k-1)*ldb+64 (k > 0),
// len(c) ≥ 5*ldc+64, len(bias) 0 or ≥ 64.
func Sgemm6x64StrideGo(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
	SgemmTileStrideGo(6, 64, k, a, b, ldb, c, ldc, alpha, beta, bias, act)
}

// Sgemm6x16StrideGo is the twin of Sgemm6x16StrideAVX2: SgemmTileStrideGo
// with mr=6, nr=16. It needs len(a) ≥ 6k, len(b) ≥ (k-1)*ldb+16 (k > 0),
// len(c) ≥ 5*ldc+16, len(bias) 0 or ≥ 16.
func Sgemm6x16StrideGo(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
	SgemmTileStrideGo(6, 16, k, a, b, ldb, c, ldc, alpha, beta, bias, act)
}
