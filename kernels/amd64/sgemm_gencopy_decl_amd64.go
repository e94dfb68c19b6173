//go:build !noasm

package amd64

// Sgemm6x64GenCopyAVX512 is Sgemm6x64GenAVX512 that also copies rows
// rows of 64 floats from src (row stride lds) to dst (row stride 64)
// during the k loop of its first tile, and prefetches the rows rows after
// them in src; its math is Sgemm6x64GenCopyGo.
//
//go:noescape
func Sgemm6x64GenCopyAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int, src []float32, lds int, dst []float32, rows int)
