package amd64

// CopyRowsGo copies rows rows of nr floats from src (row stride lds) to
// dst (row stride nr): dst[r*nr + j] = src[r*lds + j] for r < rows,
// j < nr. It is the copy the micro-kernels with "Copy" in their name
// make beside their product.
func CopyRowsGo(nr int, src []float32, lds int, dst []float32, rows int) {
	for r := range rows {
		copy(dst[r*nr:r*nr+nr], src[r*lds:r*lds+nr])
	}
}

// Sgemm6x64GenCopyGo is the twin of Sgemm6x64GenCopyAVX512:
// CopyRowsGo(64, src, lds, dst, rows) and Sgemm6x64GenGo on the other
// arguments. dst must not overlap a, b, c or bias; for rows > 0,
// len(src) ≥ (rows-1)*lds + 64 and len(dst) ≥ 64*rows.
func Sgemm6x64GenCopyGo(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int, src []float32, lds int, dst []float32, rows int) {
	CopyRowsGo(64, src, lds, dst, rows)
	Sgemm6x64GenGo(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}
