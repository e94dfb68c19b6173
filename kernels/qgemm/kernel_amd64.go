package qgemm

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
	"golang.org/x/sys/cpu"
)

// vnniKernel is the AVX-512 VNNI tile with the AVX2 packing.
var vnniKernel = kernel{name: "vnni", tile: amd64.QGemmTile8x32VNNI, pack: amd64.QPackK4x32AVX2}

// avx2Kernel is the AVX2 tile (VPMADDWD on 16-bit values) with the AVX2
// packing.
var avx2Kernel = kernel{name: "avx2", tile: amd64.QGemmTile8x32AVX2, pack: amd64.QPackK4x32AVX2}

// hasVNNI: the CPU runs VPDPBUSD on 512-bit registers (and the build has
// assembly: isa.Has is false for AVX512 under noasm).
var hasVNNI = isa.Has(isa.AVX512) && cpu.X86.HasAVX512VNNI && cpu.X86.HasBMI2

// archKernel returns the VNNI kernel at level AVX512 when the CPU has
// it, the AVX2 kernel at level AVX2 and at AVX512 without VNNI.
func archKernel(l isa.Level) *kernel {
	switch {
	case l == isa.AVX512 && hasVNNI:
		return &vnniKernel
	case (l == isa.AVX2 || l == isa.AVX512) && isa.Has(isa.AVX2):
		return &avx2Kernel
	}
	return nil
}
