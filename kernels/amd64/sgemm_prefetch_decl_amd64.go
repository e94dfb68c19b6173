//go:build !noasm

package amd64

// PrefetchRows starts loading into the caches the rows rows of cols
// floats of b (row stride ld floats) that a later pass will read, so that
// the pass finds them in L2 instead of waiting on memory; its twin is
// PrefetchRowsGo (no value changes).
//
//go:noescape
func PrefetchRows(b []float32, ld, rows, cols int)
