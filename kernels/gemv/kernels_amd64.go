package gemv

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// archKernels are the levels with assembly on amd64 (package amd64, gemv_*).
// AVX-512's one- and two-row paths both split q into even and odd partial
// sums; AVX2's one-row path splits q and its two-row path does not (it
// has no registers left for a second set).
var archKernels = []kernel{
	{level: isa.AVX512, width: 64, rowsAlike: true},
	{level: isa.AVX2, width: 32},
}

// archPanels runs level l's assembly panel kernel (m = 1 or 2 rows, count
// full panels; see amd64.GemvPanelsGo) and reports whether l has one.
func archPanels(l isa.Level, m, k, count int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) bool {
	switch l {
	case isa.AVX512:
		amd64.GemvPanels64AVX512(m, k, count, a, x, ldx, y, ldy, alpha, beta)
	case isa.AVX2:
		amd64.GemvPanels32AVX2(m, k, count, a, x, ldx, y, ldy, alpha, beta)
	default:
		return false
	}
	return true
}
