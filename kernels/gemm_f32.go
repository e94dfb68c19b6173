package kernels

import (
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// Single-precision general matrix multiply for the op kernels. Both entry
// points delegate to package sgemm (blocked, packed, SIMD micro-kernels
// chosen by package isa); its portable 4×4 kernel is the Go twin, so there
// is no second implementation here. Kernels with constant weights call
// sgemm.PackB at build time and sgemm.SgemmPacked per Run instead.

// Sgemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices,
// where op(A) is m×k (A is stored k×m when transA), op(B) is k×n (B is
// stored n×k when transB) and C is m×n. lda, ldb and ldc are the row
// strides. When beta is 0, C is overwritten without being read. It runs on
// the calling goroutine, on the SGEMM kernel of level l (a kernel passes
// its build's level).
func Sgemm(l isa.Level, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	sgemm.SgemmLevel(l, transA, transB, m, n, max(k, 0), alpha, a, lda, b, ldb, beta, c, ldc, nil, nil)
}

// SgemmPar is Sgemm with the work split across pool (sgemm chooses a
// two-dimensional grid of tiles; small products stay on one thread). It
// does not allocate in steady state.
func SgemmPar(l isa.Level, pool Pool, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	sgemm.SgemmLevel(l, transA, transB, m, n, max(k, 0), alpha, a, lda, b, ldb, beta, c, ldc, nil, sgemmPool(pool))
}

// sgemmPool converts a kernels.Pool to sgemm's Pool; a single-thread pool
// becomes nil so that sgemm takes its serial path without a hand-off.
func sgemmPool(pool Pool) sgemm.Pool {
	if pool == nil || pool.Threads() <= 1 {
		return nil
	}
	return pool
}
