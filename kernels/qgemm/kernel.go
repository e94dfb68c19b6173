package qgemm

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// kernel is one variant of the tile and packing routines (their math:
// amd64.QGemmTile8x32Go and amd64.QPackK4x32Go).
type kernel struct {
	name string
	tile func(k4 int, a []int8, b []uint8, c []int32, ldc, rows, cols int, rowAdd, colMul, colSum []int32)
	pack func(dst, src []uint8, ld, k4 int, colSum []int32)
}

// genericKernel is the portable variant: the Go twins.
var genericKernel = kernel{name: "go", tile: amd64.QGemmTile8x32Go, pack: amd64.QPackK4x32Go}

// kernelFor returns the variant for level l: the assembly kernel when
// this CPU has it at that level (archKernel), else the Go twins.
func kernelFor(l isa.Level) *kernel {
	if k := archKernel(l); k != nil {
		return k
	}
	return &genericKernel
}

// Has reports whether level l has an assembly tile kernel on this CPU
// (AVX-512 with VNNI): the integer operators use this package only then,
// and the float32 SGEMM's exact path otherwise.
func Has(l isa.Level) bool { return archKernel(l) != nil }
