package amd64

// SgemmTileGenGo is the reference for the general-stride SGEMM
// micro-kernels: A is read as A[i, p] = a[i*rsa + p*csa] and B as
// B[p, j] = b[p*ldb + j], so that one kernel serves a packed A micro-panel
// (rsa 1, csa mr), a row-major A used in place (rsa lda, csa 1), its
// transpose (rsa 1, csa lda), and a packed (ldb nr) or in-place B. For
// i < mr and j < nr it writes
//
//	c[i*ldc+j] = act(alpha * Σ_{p<k} A[i, p]*B[p, j] + beta*c[i*ldc+j] + bias[j])
//
// with the conventions of SgemmTileGo (beta == 0: C unread; bias
// optional; the sum in order of increasing p).
func SgemmTileGenGo(mr, nr, k int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
	var accBuf [64 * 16]float32
	acc := accBuf[:mr*nr]
	for p := range k {
		bp := b[p*ldb : p*ldb+nr]
		for i := range mr {
			av := a[i*rsa+p*csa]
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

// SgemmTilesGenGo runs SgemmTileGenGo on tiles ≥ 1 adjacent tiles of C:
// tile t reads the B strip at b[t*bnext:] and writes columns
// [t*nr, t*nr+nr) of C with bias[t*nr:] (when a bias is given), so
//
//	c[i*ldc + t*nr + j] = act(alpha * Σ_p A[i, p]*b[t*bnext + p*ldb + j] + beta*c[...] + bias[t*nr + j])
func SgemmTilesGenGo(mr, nr, k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	for t := range tiles {
		var tb []float32
		if len(bias) > 0 {
			tb = bias[t*nr : t*nr+nr]
		}
		var bt []float32
		if k > 0 {
			bt = b[t*bnext:]
		}
		SgemmTileGenGo(mr, nr, k, a, rsa, csa, bt, ldb, c[t*nr:], ldc, alpha, beta, tb, act)
	}
}

// Sgemm6x64GenGo is the twin of Sgemm6x64GenAVX512: SgemmTilesGenGo with
// mr=6, nr=64. It needs tiles ≥ 1; for k > 0, len(a) > 5*rsa +
// (k-1)*csa and len(b) ≥ (tiles-1)*bnext + (k-1)*ldb + 64; always
// len(c) ≥ 5*ldc + 64*tiles, len(bias) 0 or ≥ 64*tiles.
func Sgemm6x64GenGo(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	SgemmTilesGenGo(6, 64, k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm6x16GenGo is the twin of Sgemm6x16GenAVX2: SgemmTilesGenGo with
// mr=6, nr=16. It needs tiles ≥ 1; for k > 0, len(a) > 5*rsa +
// (k-1)*csa and len(b) ≥ (tiles-1)*bnext + (k-1)*ldb + 16; always
// len(c) ≥ 5*ldc + 16*tiles, len(bias) 0 or ≥ 16*tiles.
func Sgemm6x16GenGo(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	SgemmTilesGenGo(6, 16, k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm4x64GenGo is the twin of Sgemm4x64GenAVX512: SgemmTilesGenGo with
// mr=4, nr=64. It needs tiles ≥ 1; for k > 0, len(a) > 3*rsa +
// (k-1)*csa and len(b) ≥ (tiles-1)*bnext + (k-1)*ldb + 64; always
// len(c) ≥ 3*ldc + 64*tiles, len(bias) 0 or ≥ 64*tiles.
func Sgemm4x64GenGo(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	SgemmTilesGenGo(4, 64, k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm2x64GenGo is the twin of Sgemm2x64GenAVX512: SgemmTilesGenGo with
// mr=2, nr=64. It needs tiles ≥ 1; for k > 0, len(a) > rsa + (k-1)*csa
// and len(b) ≥ (tiles-1)*bnext + (k-1)*ldb + 64; always len(c) ≥ ldc +
// 64*tiles, len(bias) 0 or ≥ 64*tiles.
func Sgemm2x64GenGo(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	SgemmTilesGenGo(2, 64, k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm4x16GenGo is the twin of Sgemm4x16GenAVX2: SgemmTilesGenGo with
// mr=4, nr=16. It needs tiles ≥ 1; for k > 0, len(a) > 3*rsa +
// (k-1)*csa and len(b) ≥ (tiles-1)*bnext + (k-1)*ldb + 16; always
// len(c) ≥ 3*ldc + 16*tiles, len(bias) 0 or ≥ 16*tiles.
func Sgemm4x16GenGo(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	SgemmTilesGenGo(4, 16, k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm2x16GenGo is the twin of Sgemm2x16GenAVX2: SgemmTilesGenGo with
// mr=2, nr=16. It needs tiles ≥ 1; for k > 0, len(a) > rsa +
// (k-1)*csa and len(b) ≥ (tiles-1)*bnext + (k-1)*ldb + 16; always
// len(c) ≥ ldc + 16*tiles, len(bias) 0 or ≥ 16*tiles.
func Sgemm2x16GenGo(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	SgemmTilesGenGo(2, 16, k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm6x64W16GenGo is the twin of Sgemm6x64W16GenAVX512: SgemmTilesGenGo with
// mr=6, nr=16 (tile t writes columns [16t, 16t+16) of C from the B strip
// at b[t*bnext:], whose row stride ldb may be wider). It needs tiles ≥ 1;
// for k > 0, len(a) > 5*rsa + (k-1)*csa and len(b) ≥ (tiles-1)*bnext +
// (k-1)*ldb + 16; always len(c) ≥ 5*ldc + 16*tiles, len(bias) 0 or ≥
// 16*tiles.
func Sgemm6x64W16GenGo(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	SgemmTilesGenGo(6, 16, k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm6x64W32GenGo is the twin of Sgemm6x64W32GenAVX512: SgemmTilesGenGo with
// mr=6, nr=32 (tile t writes columns [32t, 32t+32) of C from the B strip
// at b[t*bnext:], whose row stride ldb may be wider). It needs tiles ≥ 1;
// for k > 0, len(a) > 5*rsa + (k-1)*csa and len(b) ≥ (tiles-1)*bnext +
// (k-1)*ldb + 32; always len(c) ≥ 5*ldc + 32*tiles, len(bias) 0 or ≥
// 32*tiles.
func Sgemm6x64W32GenGo(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	SgemmTilesGenGo(6, 32, k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm6x64W48GenGo is the twin of Sgemm6x64W48GenAVX512: SgemmTilesGenGo with
// mr=6, nr=48 (tile t writes columns [48t, 48t+48) of C from the B strip
// at b[t*bnext:], whose row stride ldb may be wider). It needs tiles ≥ 1;
// for k > 0, len(a) > 5*rsa + (k-1)*csa and len(b) ≥ (tiles-1)*bnext +
// (k-1)*ldb + 48; always len(c) ≥ 5*ldc + 48*tiles, len(bias) 0 or ≥
// 48*tiles.
func Sgemm6x64W48GenGo(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	SgemmTilesGenGo(6, 48, k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm6x16W8GenGo is the twin of Sgemm6x16W8GenAVX2: SgemmTilesGenGo
// with mr=6, nr=8 (tile t writes columns [8t, 8t+8) of C from the B strip
// at b[t*bnext:], whose row stride ldb may be wider). It needs tiles ≥ 1;
// for k > 0, len(a) > 5*rsa + (k-1)*csa and len(b) ≥ (tiles-1)*bnext +
// (k-1)*ldb + 8; always len(c) ≥ 5*ldc + 8*tiles, len(bias) 0 or ≥
// 8*tiles.
func Sgemm6x16W8GenGo(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	SgemmTilesGenGo(6, 8, k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// SgemmTilesDownGenGo runs SgemmTileGenGo on tiles ≥ 1 tiles of C one
// below the other: tile t reads the A panel at a[t*bnext:] and writes rows
// [t*mr, t*mr+mr) of C, all with the same B micro-panel b and bias, so
//
//	c[(t*mr+i)*ldc + j] = act(alpha * Σ_p a[t*bnext + i*rsa + p*csa]*B[p, j] + beta*c[...] + bias[j])
func SgemmTilesDownGenGo(mr, nr, k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	for t := range tiles {
		var at []float32
		if k > 0 {
			at = a[t*bnext:]
		}
		SgemmTileGenGo(mr, nr, k, at, rsa, csa, b, ldb, c[t*mr*ldc:], ldc, alpha, beta, bias, act)
	}
}

// Sgemm6x16DownGenGo is the twin of Sgemm6x16DownGenAVX2:
// SgemmTilesDownGenGo with mr=6, nr=16. It needs tiles ≥ 1; for k > 0,
// len(a) > (tiles-1)*bnext + 5*rsa + (k-1)*csa and len(b) ≥ (k-1)*ldb +
// 16; always len(c) ≥ (6*tiles-1)*ldc + 16, len(bias) 0 or ≥ 16.
func Sgemm6x16DownGenGo(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	SgemmTilesDownGenGo(6, 16, k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}
