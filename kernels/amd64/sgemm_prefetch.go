package amd64

// PrefetchRowsGo is the twin of PrefetchRows: a prefetch only moves cache
// lines, so for rows rows of cols floats of b (row stride ld) it computes
// nothing and changes no value. It needs len(b) ≥ (rows-1)*ld+cols when
// rows and cols are positive (PrefetchRows reads nothing, but its callers
// state the region they mean).
func PrefetchRowsGo(b []float32, ld, rows, cols int) {}
