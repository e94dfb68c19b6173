package sgemm

// Packing copies blocks of A and B into the layouts the micro-kernels
// stream: contiguous micro-panels, zero-padded to whole tiles.

// packA packs rows [i0, i0+rows) × columns [p0, p0+kc) of op(A) into
// micro-panels of mr rows: panel t holds dst[t*kc*mr + p*mr + i] =
// op(A)[i0+t*mr+i, p0+p], with rows past the block zero. Only panels
// [t0, t1) are written (so that threads can share the work).
func packA(transA bool, a []float32, lda, i0, rows, p0, kc, mr, t0, t1 int, dst []float32) {
	for t := t0; t < t1; t++ {
		panel := dst[t*kc*mr : (t+1)*kc*mr]
		r0 := t * mr
		nr := min(mr, rows-r0)
		if nr < mr {
			clear(panel)
		}
		if transA {
			// op(A)[i, p] = a[p*lda + i]: each step p reads nr contiguous values.
			if nr == 6 && mr == 6 {
				// Six floats per step: moved inline, as a memmove call per
				// step costs more than the copy itself.
				base := (p0)*lda + i0 + r0
				for p := range kc {
					src := a[base+p*lda : base+p*lda+6 : base+p*lda+6]
					d := panel[6*p : 6*p+6 : 6*p+6]
					d[0], d[1], d[2], d[3], d[4], d[5] = src[0], src[1], src[2], src[3], src[4], src[5]
				}
				continue
			}
			for p := range kc {
				src := a[(p0+p)*lda+i0+r0:]
				src = src[:nr]
				copy(panel[p*mr:p*mr+nr], src)
			}
			continue
		}
		// op(A)[i, p] = a[i*lda + p]: read each row contiguously, scatter by mr.
		if nr == 6 && mr == 6 {
			packA6Arch(a, lda, i0+r0, p0, kc, panel)
			continue
		}
		for i := range nr {
			src := a[(i0+r0+i)*lda+p0:]
			src = src[:kc]
			for p, v := range src {
				panel[p*mr+i] = v
			}
		}
	}
}

// packBStrip packs columns [j0, j0+cols) × rows [p0, p0+kc) of op(B) into
// one strip of nr columns: dst[p*nr + j] = op(B)[p0+p, j0+j], zero for
// j ≥ cols.
func packBStrip(transB bool, b []float32, ldb, p0, kc, j0, cols, nr int, dst []float32) {
	dst = dst[:kc*nr]
	if cols < nr {
		clear(dst)
	}
	if !transB {
		// op(B)[p, j] = b[p*ldb + j]: rows are contiguous, copy them
		// (packBRowsArch: in assembly that prefetches the rows ahead).
		if cols == nr && packBRowsArch(b, ldb, p0, kc, j0, nr, dst) {
			return
		}
		for p := range kc {
			copy(dst[p*nr:p*nr+cols], b[(p0+p)*ldb+j0:(p0+p)*ldb+j0+cols])
		}
		return
	}
	// op(B)[p, j] = b[j*ldb + p]: read each column contiguously, a chunk
	// of transChunk steps at a time, so that the chunk's rows of dst
	// (transChunk*nr floats) stay in L1 while every column is scattered
	// into them. packBTransArch transposes groups of four columns in
	// registers where it can (amd64: 9× faster than the scalar loop on
	// a 64×32 strip); the loop below packs the columns it leaves.
	for pc := 0; pc < kc; pc += transChunk {
		pn := min(transChunk, kc-pc)
		done := packBTransArch(b, ldb, p0+pc, pn, j0, cols, nr, dst[pc*nr:])
		for j := done; j < cols; j++ {
			src := b[(j0+j)*ldb+p0+pc:]
			src = src[:pn]
			d := dst[pc*nr+j:]
			for p, v := range src {
				d[p*nr] = v
			}
		}
	}
}

// packBRowsPortable is packBRowsArch where there is no assembly: it
// packs nothing and leaves the rows to the caller's loop.
func packBRowsPortable(b []float32, ldb, p0, kc, j0, nr int, dst []float32) bool {
	return false
}

// packBTransPortable is packBTransArch where there is no assembly: it
// packs no column and leaves them all to the caller's loop.
func packBTransPortable(b []float32, ldb, p0, kc, j0, cols, nr int, dst []float32) int {
	return 0
}

// transChunk is the number of k steps of a transposed B strip packed
// together (16 floats: one cache line of each column).
const transChunk = 16

// packA6 interleaves six whole rows of A (from row i, column p0, kc long)
// into one 6-row micro-panel; the fixed shape lets the compiler drop the
// bounds checks of the inner loop.
func packA6(a []float32, lda, i, p0, kc int, panel []float32) {
	base := i*lda + p0
	r0 := a[base : base+kc]
	r1 := a[base+lda : base+lda+kc]
	r2 := a[base+2*lda : base+2*lda+kc]
	r3 := a[base+3*lda : base+3*lda+kc]
	r4 := a[base+4*lda : base+4*lda+kc]
	r5 := a[base+5*lda : base+5*lda+kc]
	panel = panel[:6*kc]
	for p := range r0 {
		d := panel[6*p : 6*p+6 : 6*p+6]
		d[0], d[1], d[2] = r0[p], r1[p], r2[p]
		d[3], d[4], d[5] = r3[p], r4[p], r5[p]
	}
}
