package sgemm

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// archKernels are the SIMD kernels of amd64. Blocking is sized for 1-2 MB
// L2 per core and 32-48 KB L1D (Zen 4/5, Ice Lake and later).
var archKernels = []kernel{
	{level: isa.AVX512, mr: 6, nr: 64, fn: amd64.Sgemm6x64AVX512, kc: 384, nc: 256, mc: 1536},
	{level: isa.AVX2, mr: 6, nr: 16, fn: amd64.Sgemm6x16AVX2, kc: 384, nc: 512, mc: 1536},
}
