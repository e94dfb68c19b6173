package gemv

import "github.com/nncc/nncc/kernels/isa"

// kernel is one row of the kernel table: the panel width of a level.
// The assembly of a row is called by archPanels (per architecture) with a
// direct call, so that buffers passed to it stay on the caller's stack.
type kernel struct {
	level isa.Level
	width int
	// rowsAlike: the assembly's one-row and two-row paths compute a row
	// of y with the same operations in the same order (CanCut).
	rowsAlike bool
}

// genericKernel is the portable Go kernel, used for levels without
// assembly here and when the CPU lacks the packed level's instructions.
var genericKernel = kernel{level: isa.Generic, width: 16, rowsAlike: true}

// kernelFor returns the table row for level l (the portable one if none).
func kernelFor(l isa.Level) *kernel {
	for i := range archKernels {
		if archKernels[i].level == l {
			return &archKernels[i]
		}
	}
	return &genericKernel
}

// Native reports whether Mul runs assembly for matrices packed for level
// l on this CPU (and build); without it Mul runs a portable Go loop, and
// a caller with a faster general kernel at hand (SGEMM) may prefer that.
func Native(l isa.Level) bool {
	k := kernelFor(l)
	return k != &genericKernel && isa.Has(k.level)
}
