package sgemm

import (
	"github.com/nncc/nncc/kernels/arm64"
	"github.com/nncc/nncc/kernels/isa"
)

// archKernels are the SIMD kernels of arm64 (NEON is always present).
var archKernels = []kernel{
	{level: isa.NEON, mr: 8, nr: 12, fn: arm64.Sgemm8x12NEON, kc: 256, nc: 768, mc: 1024},
}

// packA6Arch is the portable packA6 (no assembly version here).
var packA6Arch = packA6

// packBTransArch is the portable packBTransPortable (no assembly here).
var packBTransArch = packBTransPortable

// packBRowsArch is the portable packBRowsPortable (no assembly here).
var packBRowsArch = packBRowsPortable
