package sgemm

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// archKernels are the SIMD kernels of amd64. Blocking is sized for 1-2 MB
// L2 per core and 32-48 KB L1D (Zen 4/5, Ice Lake and later): the B block
// kc×nc is 384-768 KB. kc 512 measured 3-5% faster on 1024³ (TestTuneBlock,
// Zen 5 VM, within noise) but changes where the k sums are split, and one
// near-zero output of seed_gan_generator then misses the model check's
// atol of 1e-7; kc stays 384.
var archKernels = []kernel{
	{level: isa.AVX512, mr: 6, nr: 64, fn: amd64.Sgemm6x64AVX512, fnS: amd64.Sgemm6x64StrideAVX512, fnG: amd64.Sgemm6x64GenAVX512, kc: 512, nc: 128, mc: 1536},
	{level: isa.AVX2, mr: 6, nr: 16, fn: amd64.Sgemm6x16AVX2, fnS: amd64.Sgemm6x16StrideAVX2, fnG: amd64.Sgemm6x16GenAVX2, kc: 384, nc: 512, mc: 1536},
}

// packA6Arch is packA6 in SSE shuffles (every amd64 CPU).
var packA6Arch = packA6SSE

// packA6SSE is packA6 on amd64.PackA6SSE, after the bounds checks the
// assembly does not make.
func packA6SSE(a []float32, lda, i, p0, kc int, panel []float32) {
	if kc <= 0 {
		return
	}
	base := i*lda + p0
	_ = a[base+5*lda+kc-1]
	_ = panel[6*kc-1]
	amd64.PackA6SSE(kc, a[base:], lda, panel)
}
