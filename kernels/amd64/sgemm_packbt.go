package amd64

// PackBTransGo is the twin of PackBTransSSE: it packs columns of a
// transposed B (B[p, j] stored at b[j*ldb+p]) into an SGEMM B strip of
// row stride nr,
//
//	dst[p*nr+j] = b[j*ldb+p]   for j < cols&^3, p < kc,
//
// leaving the other elements of dst alone (cols is rounded down to a
// multiple of 4; the caller packs the rest). It needs, when kc > 0 and
// cols ≥ 4, len(b) ≥ (cols&^3-1)*ldb+kc and len(dst) ≥ (kc-1)*nr+cols&^3.
func PackBTransGo(kc int, b []float32, ldb, cols int, dst []float32, nr int) {
	if kc <= 0 {
		return
	}
	for j := range cols &^ 3 {
		for p, v := range b[j*ldb : j*ldb+kc] {
			dst[p*nr+j] = v
		}
	}
}
