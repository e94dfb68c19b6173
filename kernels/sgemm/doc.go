// Package sgemm is the blocked single-precision matrix multiply of nncc:
// row-major C = alpha*op(A)*op(B) + beta*C with optional fused bias and
// activation, on the micro-kernel of the instruction set package isa
// selects (AVX-512 6×64, AVX2 6×16, NEON 8×12, or the portable Go 4×4).
//
// # Blocking
//
// The loops follow the GotoBLAS/BLIS structure with the roles of the two
// operands chosen for kernels whose vectors run along the columns of C:
//
//	for ic in rows of C, by mc            (A block: mc×kc, packed once)
//	  for pc in k, by kc                  (each pc block adds into C)
//	    pack A into mr-row micro-panels
//	    for jc in columns of C, by nc     (B block: kc×nc, stays in L2)
//	      pack B into nr-column strips    (skipped when B is prepacked)
//	      for ir over mr-row tiles        (A micro-panel, mr×kc, stays in L1)
//	        for jr over nr-column tiles   (B strip streams from L2)
//	          micro-kernel: mr×nr tile of C in registers, kc steps of FMA
//
// Each micro-kernel step loads nr floats of B and broadcasts mr floats of
// A, so the L2 traffic is 4 bytes per 2·mr FLOPs; the small A micro-panel
// is what stays in L1. kc, nc and mc come from the kernel table row of the
// level (kernel.go) and are balanced so that the last block is not tiny;
// when k is shorter than kc, nc widens so that the B block keeps its size
// (kernel.ncFor), and a short-k product runs each row panel over many
// strips in one call.
//
// A level whose B strips are narrow (AVX2: 16 floats) runs products of
// long k in the column order of BLIS instead (down.go): B micro-panel in
// L1, the kernel running down a block of row panels whose A stays in L2,
// so each step reads mr floats from L2 instead of nr.
//
// The first pc block applies the caller's beta, later ones accumulate
// (beta = 1); the last applies the epilogue (bias, activation). Tiles on
// the bottom and right edges run the same kernel on a zero-padded copy, so
// every m, n, k (including 0) is handled without special kernels; where
// the level has kernels of fewer rows (kernel.fnRows: 2 and 4 on amd64,
// the remainders of m = 2^j), a partial last row panel runs on them in
// place instead, without the wasted rows and the copies, and where it has
// narrower ones (kernel.fnCols: 16, 32, 48 of the 64 columns on
// AVX-512, 8 of 16 on AVX2), a partial last column strip computes only
// the vectors it needs (n = 196 on AVX-512: 1 of 4). The
// kernels prefetch their C tile when they start, so the read of beta and
// the final store do not wait on L3.
//
// When few rows share each B block (m ≤ 96, B not transposed) packing B
// would cost a good part of the product; the strided kernel variants then
// read whole strips of B in place, and only the partial last strip is
// packed.
//
// Kernels with general strides (the amd64 ones) also read A in place
// (plain or transposed: A[i, p] = a[i*rsa + p*csa]) instead of packing
// its micro-panels: each panel feeds only the few tiles of one column
// block, and a Transformer's 128-row products spent 5-10% of their time
// packing A. Only a partial last panel (fewer than mr rows) is packed,
// zero-padded. Such a kernel also runs a whole row of full tiles of a
// block per call (the B strips a fixed distance apart), which saves the
// per-tile call and setup at small kc.
//
// # Threads
//
// Work is split over a Pool (kernels.Pool satisfies it; this package never
// starts goroutines) with one hand-off per call and no barrier between
// blocks: C is cut into a few parts per thread along its columns (short,
// wide products, such as a Transformer layer) or its rows (tall ones), and
// each thread takes parts from an atomic counter and runs the loops above
// on them with its own packing buffers. The operand every part reads in
// full (A for column parts, B for row parts) is packed once before the
// parts start, unless it is prepacked or read in place (parallel.go).
//
// # Prepacked operands
//
// PackB packs a constant B (a layer's weights) once, at compile time, in
// the strip layout of the chosen kernel; SgemmPacked then skips packing B.
// PackALevel packs a constant left operand (a convolution's weights) in
// micro-panels; SgemmSource multiplies it by a right operand a BSource
// produces strip by strip (an implicit im2col). Data and the FromData
// constructors store and restore packed operands without repacking; the
// panel shapes come from PanelShape. Packing buffers of Sgemm come from a
// recycle.Pool, so steady-state calls do not allocate.
package sgemm
