//go:build amd64

package kernels

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// convTPhaseTile returns the 6×64 tile kernel of ConvTranspose's
// sub-pixel form for level l: the AVX-512 assembly, else its Go twin.
func convTPhaseTile(l isa.Level) func(k, tiles int, a, x []float32, offs []int, c []float32, ldc int) {
	if l == isa.AVX512 {
		return amd64.ConvTPhase6x64AVX512
	}
	return amd64.ConvTPhase6x64Go
}

// convTPhaseHalf returns the 6×32 last-tile kernel of the sub-pixel
// form for level l: the AVX-512 assembly, else its Go twin.
func convTPhaseHalf(l isa.Level) func(k int, a, x []float32, offs []int, c []float32, ldc int) {
	if l == isa.AVX512 {
		return amd64.ConvTPhase6x32AVX512
	}
	return amd64.ConvTPhase6x32Go
}
