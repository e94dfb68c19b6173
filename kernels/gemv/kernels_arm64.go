package gemv

import (
	"github.com/nncc/nncc/kernels/arm64"
	"github.com/nncc/nncc/kernels/isa"
)

// archKernels are the levels with assembly on arm64 (package arm64, gemv_*).
var archKernels = []kernel{
	{level: isa.NEON, width: 16},
}

// archPanels runs level l's assembly panel kernel (m = 1 or 2 rows, count
// full panels; see arm64.GemvPanelsGo) and reports whether l has one.
func archPanels(l isa.Level, m, k, count int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) bool {
	if l != isa.NEON {
		return false
	}
	arm64.GemvPanels16NEON(m, k, count, a, x, ldx, y, ldy, alpha, beta)
	return true
}
