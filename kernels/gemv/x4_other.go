//go:build !amd64

package gemv

import "github.com/nncc/nncc/kernels/isa"

// archPanels4 reports that no level has a four-row kernel here.
func archPanels4(l isa.Level, k, count int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) bool {
	return false
}

// has4 reports whether level l has a four-row kernel (none here).
func has4(l isa.Level) bool { return false }
