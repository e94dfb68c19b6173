//go:build !noasm

package amd64

// Sgemm6x64AVX512 is the AVX-512 SGEMM micro-kernel: a 6×64 tile of C kept
// in 24 zmm registers, fed by a broadcast of A and four vectors of B per
// step of k. Its math is Sgemm6x64Go; operands must be at least as long as
// stated there.
//
//go:noescape
func Sgemm6x64AVX512(k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int)

// Sgemm6x16AVX2 is the AVX2+FMA SGEMM micro-kernel: a 6×16 tile of C kept
// in 12 ymm registers. Its math is Sgemm6x16Go.
//
//go:noescape
func Sgemm6x16AVX2(k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int)

// FMAPeakAVX512 runs n rounds of 24 independent 16-lane FMAs on registers
// (768 FLOPs per round); timing it measures the core's AVX-512 FMA peak.
// Its twin is FMAPeakGo(n, 384).
//
//go:noescape
func FMAPeakAVX512(n int)

// FMAPeakAVX2 runs n rounds of 12 independent 8-lane FMAs on registers
// (192 FLOPs per round). Its twin is FMAPeakGo(n, 96).
//
//go:noescape
func FMAPeakAVX2(n int)
