//go:build !amd64

package kernels

import (
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/vecmath"
)

// attnTileKernelsFor returns nil: the tile path needs the amd64
// B-in-place micro-kernels; other architectures take the SGEMM path.
func attnTileKernelsFor(isa.Level, int) *attnTileKernels { return nil }

// softmaxRowFor returns vec's softmax: the one-call row kernel is amd64's.
func softmaxRowFor(_ isa.Level, vec *vecmath.Routines) func(dst, x []float32) {
	return vec.Softmax
}

// softmaxAddRowFor returns nil: addMask runs before the softmax.
func softmaxAddRowFor(isa.Level) func(dst, x, add []float32) { return nil }

// softmaxRowsFor returns nil: scoreRow runs row by row.
func softmaxRowsFor(isa.Level) func(dst []float32, ldd int, x []float32, ldx int, add []float32, ldadd int, n, rows int) {
	return nil
}
