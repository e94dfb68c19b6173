package gemv

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// archPanels4 runs level l's four-row assembly kernel (exactly four rows
// of x, count full panels; see amd64.GemvPanels64x4Go) and reports whether
// l has one.
func archPanels4(l isa.Level, k, count int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) bool {
	if l != isa.AVX512 {
		return false
	}
	amd64.GemvPanels64x4AVX512(k, count, a, x, ldx, y, ldy, alpha, beta)
	return true
}

// has4 reports whether level l has a four-row kernel.
func has4(l isa.Level) bool { return l == isa.AVX512 }
