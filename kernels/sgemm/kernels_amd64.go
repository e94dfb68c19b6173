package sgemm

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// archKernels are the SIMD kernels of amd64. Every tile runs on the
// general-stride kernel (fnG: A packed or read in place, B packed or in
// place, a run of tiles per call); fn and fnS are the per-tile kernels of
// the same arithmetic, kept for comparison (TestTuneShapes) and for other
// packages. Blocking is sized for 1-2 MB L2 per core and 48 KB L1D (Zen
// 4/5, Ice Lake and later). On AVX-512, kc 1024 × nc 64 (the A panel,
// 24 KB, in L1; the B block, 256 KB, in L2; k up to 1024 in one block,
// so C is read and written once) ran 1024³ 1-5% faster than kc 512 × nc
// 128 in five interleaved runs on a loaded Zen 5 VM (196.5 against 189.7
// GFLOPS in the quietest, TestTuneS4K1024, TestTuneS4Before) and level
// on k = 576, 2304, 3072 (kc 1024 × nc 128 came close to nc 64); session
// 3 had measured kc 512 ×
// nc 128 90.7% of the peak in kernel calls against 88.1% for kc 384 × nc
// 256. On AVX2 no blocking tried (kc 384-1024, nc 128-512) differed
// beyond the noise (TestTuneS4Block); on AVX2 the column order (fnD,
// down.go) with kc 1024 × mc 60 ran 1024³ 91.0% of the peak against 89.2%
// (Sgemm) and 93.4% against 88.0% (B prepacked), 64×768×768 89.8%
// against 85.5%, in interleaved runs on a loaded Zen 4 VM; products of
// k < 256 keep the row order, which ran them 1-5 points faster
// (TestTuneS12Down). (A larger kc once moved a
// near-zero output of seed_gan_generator past the model check's atol;
// that model no longer runs through this package and the check passes.)
var archKernels = []kernel{
	{level: isa.AVX512, mr: 6, nr: 64, fn: amd64.Sgemm6x64AVX512, fnS: amd64.Sgemm6x64StrideAVX512, fnG: amd64.Sgemm6x64GenAVX512, fnRows: avx512Rows, fnCols: avx512Cols, colUnit: 16, kc: 1024, nc: 64, mc: 1536},
	{level: isa.AVX2, mr: 6, nr: 16, fn: amd64.Sgemm6x16AVX2, fnS: amd64.Sgemm6x16StrideAVX2, fnG: amd64.Sgemm6x16GenAVX2, fnRows: avx2Rows, fnCols: avx2Cols, colUnit: 8, kc: 384, nc: 512, mc: 1536,
		fnD: amd64.Sgemm6x16DownGenAVX2, kD: 256, kcD: 1024, mcD: 60},
}

// avx512Rows and avx2Rows are the kernels of partial row panels of two
// and four rows (kernel.fnRows), the remainders of m = 2^j (j ≥ 1) rows.
// Products of 16 and 64 rows (64×768×768, 64×3136×576) ran 2-7 points of
// the peak faster on AVX-512 than on padded 6-row tiles, 1024³ level
// (TestTuneS7Rows).
var (
	avx512Rows = []genFunc{2: amd64.Sgemm2x64GenAVX512, 4: amd64.Sgemm4x64GenAVX512}
	avx2Rows   = []genFunc{2: amd64.Sgemm2x16GenAVX2, 4: amd64.Sgemm4x16GenAVX2}
)

// avx512Cols and avx2Cols are the kernels of partial column strips
// (kernel.fnCols): one, two or three of the four vectors of an AVX-512
// row, one of the two of an AVX2 row.
var (
	avx512Cols = []genFunc{1: amd64.Sgemm6x64W16GenAVX512, 2: amd64.Sgemm6x64W32GenAVX512, 3: amd64.Sgemm6x64W48GenAVX512}
	avx2Cols   = []genFunc{1: amd64.Sgemm6x16W8GenAVX2}
)

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

// packBTransArch is packBTransSSE (every amd64 CPU).
var packBTransArch = packBTransSSE

// packBTransSSE packs the first cols&^3 columns of a transposed B strip
// chunk (dst[p*nr+j] = b[(j0+j)*ldb+p0+p], p < kc) with
// amd64.PackBTransSSE, after the bounds checks the assembly does not
// make, and returns how many columns it packed.
func packBTransSSE(b []float32, ldb, p0, kc, j0, cols, nr int, dst []float32) int {
	c4 := cols &^ 3
	if kc <= 0 || c4 == 0 {
		return 0
	}
	base := j0*ldb + p0
	_ = b[base+(c4-1)*ldb+kc-1]
	_ = dst[(kc-1)*nr+c4-1]
	amd64.PackBTransSSE(kc, b[base:], ldb, c4, dst, nr)
	return c4
}

// packBRowsArch is packBRowsAVX (AVX2 and AVX-512 machines).
var packBRowsArch = packBRowsAVX

// rowsAVX: the AVX moves of amd64.PackBRowsAVX may run (the SIMD kernel
// rows, whose nr is a multiple of 8, need AVX2 anyway).
var rowsAVX = isa.Has(isa.AVX2)

// packBRowsAVX packs a whole strip of a plain B (dst[p*nr+j] =
// b[(p0+p)*ldb+j0+j]) with amd64.PackBRowsAVX, after the bounds checks
// the assembly does not make, and reports whether it did; otherwise the
// caller copies the rows. (Packing all the strips of a block in one pass
// over B's rows ran slower for nr 16: 481 against 290 µs for a 1024²
// B, TestTuneS4Pack.)
func packBRowsAVX(b []float32, ldb, p0, kc, j0, nr int, dst []float32) bool {
	if !rowsAVX || nr%8 != 0 || kc <= 0 {
		return false
	}
	base := p0*ldb + j0
	_ = b[base+(kc-1)*ldb+nr-1]
	_ = dst[kc*nr-1]
	amd64.PackBRowsAVX(kc, b[base:], ldb, dst, nr)
	return true
}
