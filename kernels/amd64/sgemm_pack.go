package amd64

// PackA6Go is the twin of PackA6SSE: it interleaves six rows of A (row
// stride lda) into one SGEMM micro-panel,
//
//	dst[p*6+i] = a[i*lda+p]   for i < 6, p < kc.
//
// It needs len(a) ≥ 5*lda+kc and len(dst) ≥ 6*kc (when kc > 0).
func PackA6Go(kc int, a []float32, lda int, dst []float32) {
	if kc <= 0 {
		return
	}
	for i := range 6 {
		row := a[i*lda : i*lda+kc]
		for p, v := range row {
			dst[p*6+i] = v
		}
	}
}
