package amd64

// PackBRowsGo is the twin of PackBRowsAVX: it copies kc rows of nr floats
// of B (row stride ldb) into a contiguous SGEMM B micro-panel,
//
//	dst[p*nr+j] = b[p*ldb+j]   for p < kc, j < nr.
//
// It needs nr a multiple of 8, len(b) ≥ (kc-1)*ldb+nr and len(dst) ≥
// kc*nr (when kc > 0).
func PackBRowsGo(kc int, b []float32, ldb int, dst []float32, nr int) {
	for p := range kc {
		copy(dst[p*nr:p*nr+nr], b[p*ldb:p*ldb+nr])
	}
}
