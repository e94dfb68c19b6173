package sgemm

import "fmt"

// BSource produces the right operand of SgemmSource on demand (for
// example an implicit im2col of a convolution's input). PackStrip writes
// into dst (len kc*nr) the kc×nr panel
//
//	dst[p*nr+j] = op(B)[pc+p, j0+j]  for j < cols,  0 for cols ≤ j < nr.
//
// It is called concurrently from pool workers with distinct dst slices and
// must not retain dst.
type BSource interface {
	PackStrip(dst []float32, pc, kc, j0, cols, nr int)
}

// SgemmSource computes C(m×n) = epilogue(alpha*op(A)*B + beta*C) where A
// is prepacked (m = pa.M()) and B (k×n, k = pa.K()) comes from src, strip
// by strip. It uses the kernel A was packed for; ep and pool may be nil.
func SgemmSource(pa *PackedA, n int, alpha float32, src BSource, beta float32, c []float32, ldc int, ep *Epilogue, pool Pool) {
	if src == nil && alpha != 0 && pa.k > 0 {
		panic("sgemm: SgemmSource with a nil source")
	}
	if n < 0 {
		panic(fmt.Sprintf("sgemm: negative size n=%d", n))
	}
	p := problem{m: pa.m, n: n, k: pa.k, alpha: alpha, pa: pa, src: src, beta: beta, c: c, ldc: ldc, ep: ep}
	p.check()
	p.run(pa.kern, pool)
}
