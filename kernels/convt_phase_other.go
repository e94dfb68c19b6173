//go:build !amd64

package kernels

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// convTPhaseTile returns the 6×64 tile kernel of ConvTranspose's
// sub-pixel form: without amd64 assembly, the Go twin.
func convTPhaseTile(isa.Level) func(k, tiles int, a, x []float32, offs []int, c []float32, ldc int) {
	return amd64.ConvTPhase6x64Go
}

// convTPhaseHalf returns the 6×32 last-tile kernel of the sub-pixel
// form: the Go twin.
func convTPhaseHalf(isa.Level) func(k int, a, x []float32, offs []int, c []float32, ldc int) {
	return amd64.ConvTPhase6x32Go
}
