//go:build noasm

package amd64

// PrefetchRows is PrefetchRowsGo under the noasm tag.
func PrefetchRows(b []float32, ld, rows, cols int) { PrefetchRowsGo(b, ld, rows, cols) }
