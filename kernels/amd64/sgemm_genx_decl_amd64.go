//go:build !noasm

package amd64

// Sgemm6x64GenBcstAVX512 is Sgemm6x64GenAVX512 with embedded-broadcast
// FMAs for A (EXPERIMENT); its math is Sgemm6x64GenGo.
//
//go:noescape
func Sgemm6x64GenBcstAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)

// Sgemm6x64GenPfAVX512 is Sgemm6x64GenAVX512 with software prefetch of B
// eight rows ahead (EXPERIMENT); its math is Sgemm6x64GenGo.
//
//go:noescape
func Sgemm6x64GenPfAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)
