package sgemm

import (
	"fmt"

	"github.com/nncc/nncc/kernels/isa"
)

// SgemmLevel is SgemmEpilogue with the micro-kernel of level l instead of
// the process-wide isa.Current(): kernels built for a session's level call
// it, so sessions of different levels share the process. A level without
// a kernel of its own on this architecture runs the Generic one.
func SgemmLevel(l isa.Level, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, ep *Epilogue, pool Pool) {
	p := problem{transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
		a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, ep: ep}
	p.check()
	p.run(kernelFor(l), pool)
}

// Layout names the packed-panel layout of level l's kernel: the level that
// actually runs (Generic when l has no kernel here) and its register tile
// mr×nr, e.g. "avx512/6x64". Panels packed under one layout are valid only
// for that layout; prepacked-weight caches key on it.
func Layout(l isa.Level) string {
	k := kernelFor(l)
	return fmt.Sprintf("%v/%dx%d", k.level, k.mr, k.nr)
}
