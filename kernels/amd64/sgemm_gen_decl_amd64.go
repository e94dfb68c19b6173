//go:build !noasm

package amd64

// Sgemm6x64GenAVX512 is the AVX-512 6×64 micro-kernel with general A
// strides and B row stride (A[i, p] = a[i*rsa + p*csa], B[p, j] =
// b[p*ldb + j]), run on tiles adjacent tiles of C whose B strips are
// bnext floats apart; its math is Sgemm6x64GenGo.
//
//go:noescape
func Sgemm6x64GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)

// Sgemm6x16GenAVX2 is the AVX2+FMA 6×16 micro-kernel with general A
// strides and B row stride, run on tiles adjacent tiles of C; its math is
// Sgemm6x16GenGo.
//
//go:noescape
func Sgemm6x16GenAVX2(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)

// Sgemm4x64GenAVX512 is Sgemm6x64GenAVX512 for four rows (the last,
// partial row panel of a product with m mod 6 = 4); its math is
// Sgemm4x64GenGo.
//
//go:noescape
func Sgemm4x64GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)

// Sgemm2x64GenAVX512 is Sgemm6x64GenAVX512 for two rows (the last,
// partial row panel of a product with m mod 6 = 2); its math is
// Sgemm2x64GenGo.
//
//go:noescape
func Sgemm2x64GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)

// Sgemm4x16GenAVX2 is Sgemm6x16GenAVX2 for four rows (the last, partial
// row panel of a product with m mod 6 = 4); its math is Sgemm4x16GenGo.
//
//go:noescape
func Sgemm4x16GenAVX2(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)

// Sgemm2x16GenAVX2 is Sgemm6x16GenAVX2 for two rows (the last, partial
// row panel of a product with m mod 6 = 2); its math is Sgemm2x16GenGo.
//
//go:noescape
func Sgemm2x16GenAVX2(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)

// Sgemm6x64W16GenAVX512 is Sgemm6x64GenAVX512 for the first 16 columns of
// each tile (the last, partial column strip of a product); its math is
// Sgemm6x64W16GenGo.
//
//go:noescape
func Sgemm6x64W16GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)

// Sgemm6x64W32GenAVX512 is Sgemm6x64GenAVX512 for the first 32 columns of
// each tile (the last, partial column strip of a product); its math is
// Sgemm6x64W32GenGo.
//
//go:noescape
func Sgemm6x64W32GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)

// Sgemm6x64W48GenAVX512 is Sgemm6x64GenAVX512 for the first 48 columns of
// each tile (the last, partial column strip of a product); its math is
// Sgemm6x64W48GenGo.
//
//go:noescape
func Sgemm6x64W48GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)

// Sgemm6x16W8GenAVX2 is Sgemm6x16GenAVX2 for the first 8 columns of each
// tile (the last, partial column strip of a product); its math is
// Sgemm6x16W8GenGo.
//
//go:noescape
func Sgemm6x16W8GenAVX2(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)

// Sgemm6x16DownGenAVX2 is Sgemm6x16GenAVX2 running down a column of
// tiles: tile t reads the A panel bnext floats after tile t-1's and writes
// the next six rows of C, all with the same B micro-panel and bias; its
// math is Sgemm6x16DownGenGo.
//
//go:noescape
func Sgemm6x16DownGenAVX2(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)
