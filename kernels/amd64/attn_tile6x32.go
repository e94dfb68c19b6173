package amd64

// Tile6x32StrideGo is the twin of Tile6x32StrideAVX512: a 6×32 tile of
// C from a packed 6-row A micro-panel and a B read in place,
//
//	c[i*ldc+j] = alpha * Σ_{p<k} a[p*6+i]*b[p*ldb+j]   for i < 6, j < 32,
//
// C only written (beta 0, no bias, no activation), the sum accumulated in
// float32 in increasing p. It needs len(a) ≥ 6k, len(b) ≥ (k-1)*ldb+32
// (k > 0) and len(c) ≥ 5*ldc+32.
func Tile6x32StrideGo(k int, a, b []float32, ldb int, c []float32, ldc int, alpha float32) {
	SgemmTileStrideGo(6, 32, k, a, b, ldb, c, ldc, alpha, 0, nil, ActNone)
}
