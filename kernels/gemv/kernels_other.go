//go:build !amd64 && !arm64

package gemv

import "github.com/nncc/nncc/kernels/isa"

// archKernels is empty: other architectures use the portable Go kernel.
var archKernels []kernel

// archPanels reports that no level has assembly here.
func archPanels(l isa.Level, m, k, count int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) bool {
	return false
}
