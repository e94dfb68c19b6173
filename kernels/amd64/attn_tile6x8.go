package amd64

// Tile6x8StrideGo is the twin of Tile6x8StrideAVX2: a 6×8 tile of C from
// a packed 6-row A micro-panel and a B read in place,
//
//	c[i*ldc+j] = alpha * Σ_{p<k} a[p*6+i]*b[p*ldb+j]   for i < 6, j < 8,
//
// C only written (beta 0, no bias, no activation), the sum accumulated in
// float32 in increasing p. It needs len(a) ≥ 6k, len(b) ≥ (k-1)*ldb+8
// (k > 0) and len(c) ≥ 5*ldc+8.
func Tile6x8StrideGo(k int, a, b []float32, ldb int, c []float32, ldc int, alpha float32) {
	SgemmTileStrideGo(6, 8, k, a, b, ldb, c, ldc, alpha, 0, nil, ActNone)
}
