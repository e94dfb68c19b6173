//go:build !noasm

package amd64

// Sgemm6x64GenPfAVX512 is Sgemm6x64GenAVX512 that also prefetches the A
// rows of the next row tile (experiment); its math is Sgemm6x64GenGo.
//
//go:noescape
func Sgemm6x64GenPfAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)
