package amd64

// PackBRowsGo is the twin of PackBRowsAVX: it copies kc rows of strips
// adjacent groups of nr floats of B (row stride ldb) into strips
// contiguous SGEMM B micro-panels of kc×nr, one after another,
//
//	dst[s*kc*nr + p*nr + j] = b[p*ldb + s*nr + j]   for s < strips, p < kc, j < nr.
//
// It needs nr a multiple of 8, len(b) ≥ (kc-1)*ldb+strips*nr and len(dst)
// ≥ strips*kc*nr (when kc > 0 and strips > 0).
func PackBRowsGo(kc int, b []float32, ldb int, dst []float32, nr, strips int) {
	for s := range strips {
		panel := dst[s*kc*nr : (s+1)*kc*nr]
		for p := range kc {
			copy(panel[p*nr:p*nr+nr], b[p*ldb+s*nr:p*ldb+s*nr+nr])
		}
	}
}
