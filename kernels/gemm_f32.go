package kernels

import "sync"

// Single-precision general matrix multiply in pure Go.
//
// The loops follow the usual GotoBLAS structure: C is computed in column
// panels of sgemmNC, the k dimension in slices of sgemmKC, and rows in
// blocks of sgemmMC. For each (k slice, column panel) B is packed into
// strips of sgemmNR columns, for each row block A into strips of sgemmMR
// rows, so that the micro-kernel streams both operands contiguously and
// keeps an MR×NR tile of C in registers. The micro-kernel is a separate
// function (sgemmMicro) so that SIMD variants can replace it.

const (
	sgemmMR = 2
	sgemmNR = 4
	sgemmKC = 256
	sgemmMC = 96
	sgemmNC = 2048
)

// sgemmScratch holds the packing buffers of one Sgemm call.
type sgemmScratch struct {
	a []float32 // sgemmMC × sgemmKC, MR-row strips
	b []float32 // sgemmKC × sgemmNC, NR-column strips
}

var sgemmScratchPool = sync.Pool{New: func() any {
	return &sgemmScratch{
		a: make([]float32, sgemmMC*sgemmKC),
		b: make([]float32, sgemmKC*sgemmNC),
	}
}}

// Sgemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices,
// where op(A) is m×k (A is stored k×m when transA), op(B) is k×n (B is
// stored n×k when transB) and C is m×n. lda, ldb and ldc are the row
// strides. When beta is 0, C is overwritten without being read.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	sgemmScaleC(m, n, beta, c, ldc)
	if k <= 0 || alpha == 0 {
		return
	}
	if m*n*k <= 4096 || m <= 4 {
		sgemmSmall(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc)
		return
	}
	s := sgemmScratchPool.Get().(*sgemmScratch)
	defer sgemmScratchPool.Put(s)
	for jc := 0; jc < n; jc += sgemmNC {
		nc := min(sgemmNC, n-jc)
		for pc := 0; pc < k; pc += sgemmKC {
			kc := min(sgemmKC, k-pc)
			sgemmPackB(transB, kc, nc, b, ldb, pc, jc, s.b)
			for ic := 0; ic < m; ic += sgemmMC {
				mc := min(sgemmMC, m-ic)
				sgemmPackA(transA, mc, kc, a, lda, ic, pc, s.a)
				sgemmMacro(mc, nc, kc, alpha, s.a, s.b, c[ic*ldc+jc:], ldc)
			}
		}
	}
}

// sgemmScaleC sets C = beta*C (C = 0 when beta is 0).
func sgemmScaleC(m, n int, beta float32, c []float32, ldc int) {
	if beta == 1 {
		return
	}
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// sgemmSmall is the unpacked path for small products and for A with at
// most four rows (recurrent steps, matrix-vector products): C +=
// alpha*op(A)*op(B), one row of C at a time.
func sgemmSmall(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	i0 := 0
	if transB && !transA {
		// Pairs of rows against four columns: a 2×4 register tile of dot
		// products, each summed in k order.
		for ; i0+2 <= m; i0 += 2 {
			a0 := a[i0*lda : i0*lda+k]
			a1 := a[(i0+1)*lda : (i0+1)*lda+k]
			c0 := c[i0*ldc : i0*ldc+n]
			c1 := c[(i0+1)*ldc : (i0+1)*ldc+n]
			j := 0
			for ; j+4 <= n; j += 4 {
				b0 := b[j*ldb : j*ldb+k]
				b1 := b[(j+1)*ldb : (j+1)*ldb+k]
				b2 := b[(j+2)*ldb : (j+2)*ldb+k]
				b3 := b[(j+3)*ldb : (j+3)*ldb+k]
				var s00, s01, s02, s03, s10, s11, s12, s13 float32
				for p, x0 := range a0 {
					x1 := a1[p]
					y0, y1, y2, y3 := b0[p], b1[p], b2[p], b3[p]
					s00 += x0 * y0
					s01 += x0 * y1
					s02 += x0 * y2
					s03 += x0 * y3
					s10 += x1 * y0
					s11 += x1 * y1
					s12 += x1 * y2
					s13 += x1 * y3
				}
				c0[j] += alpha * s00
				c0[j+1] += alpha * s01
				c0[j+2] += alpha * s02
				c0[j+3] += alpha * s03
				c1[j] += alpha * s10
				c1[j+1] += alpha * s11
				c1[j+2] += alpha * s12
				c1[j+3] += alpha * s13
			}
			for ; j < n; j++ {
				bj := b[j*ldb : j*ldb+k]
				var s0, s1 float32
				for p, y := range bj {
					s0 += a0[p] * y
					s1 += a1[p] * y
				}
				c0[j] += alpha * s0
				c1[j] += alpha * s1
			}
		}
	}
	for i := i0; i < m; i++ {
		crow := c[i*ldc : i*ldc+n]
		if transB {
			// Four dot products at a time, each summed in k order like
			// the packed micro-kernel, so both paths round alike.
			j := 0
			if !transA {
				arow := a[i*lda : i*lda+k]
				for ; j+4 <= n; j += 4 {
					b0 := b[j*ldb : j*ldb+k]
					b1 := b[(j+1)*ldb : (j+1)*ldb+k]
					b2 := b[(j+2)*ldb : (j+2)*ldb+k]
					b3 := b[(j+3)*ldb : (j+3)*ldb+k]
					var s0, s1, s2, s3 float32
					for p, av := range arow {
						s0 += av * b0[p]
						s1 += av * b1[p]
						s2 += av * b2[p]
						s3 += av * b3[p]
					}
					crow[j] += alpha * s0
					crow[j+1] += alpha * s1
					crow[j+2] += alpha * s2
					crow[j+3] += alpha * s3
				}
			}
			for ; j < n; j++ {
				brow := b[j*ldb : j*ldb+k]
				var s float32
				for p, bv := range brow {
					if transA {
						s += a[p*lda+i] * bv
					} else {
						s += a[i*lda+p] * bv
					}
				}
				crow[j] += alpha * s
			}
			continue
		}
		for p := range k {
			var av float32
			if transA {
				av = a[p*lda+i]
			} else {
				av = a[i*lda+p]
			}
			if av == 0 {
				continue
			}
			av *= alpha
			brow := b[p*ldb : p*ldb+n]
			for j, bv := range brow {
				crow[j] += av * bv
			}
		}
	}
}

// sgemmPackA packs op(A)[ic:ic+mc, pc:pc+kc] into MR-row strips: strip s
// holds, for each p, the MR values of rows s*MR.. at column p (zero-padded).
func sgemmPackA(transA bool, mc, kc int, a []float32, lda, ic, pc int, dst []float32) {
	for s := 0; s < mc; s += sgemmMR {
		rows := min(sgemmMR, mc-s)
		d := dst[s*kc : s*kc+kc*sgemmMR]
		if !transA && rows == sgemmMR {
			r0 := a[(ic+s)*lda+pc:]
			r1 := a[(ic+s+1)*lda+pc:]
			r0, r1 = r0[:kc], r1[:kc]
			for p := range kc {
				q := d[p*2 : p*2+2 : p*2+2]
				q[0], q[1] = r0[p], r1[p]
			}
			continue
		}
		for p := range kc {
			q := d[p*sgemmMR : p*sgemmMR+sgemmMR]
			for r := range sgemmMR {
				if r >= rows {
					q[r] = 0
				} else if transA {
					q[r] = a[(pc+p)*lda+ic+s+r]
				} else {
					q[r] = a[(ic+s+r)*lda+pc+p]
				}
			}
		}
	}
}

// sgemmPackB packs op(B)[pc:pc+kc, jc:jc+nc] into NR-column strips.
func sgemmPackB(transB bool, kc, nc int, b []float32, ldb, pc, jc int, dst []float32) {
	for s := 0; s < nc; s += sgemmNR {
		cols := min(sgemmNR, nc-s)
		d := dst[s*kc : s*kc+kc*sgemmNR]
		if !transB && cols == sgemmNR {
			for p := range kc {
				src := b[(pc+p)*ldb+jc+s : (pc+p)*ldb+jc+s+4 : (pc+p)*ldb+jc+s+4]
				q := d[p*4 : p*4+4 : p*4+4]
				q[0], q[1], q[2], q[3] = src[0], src[1], src[2], src[3]
			}
			continue
		}
		for p := range kc {
			q := d[p*sgemmNR : p*sgemmNR+sgemmNR]
			for j := range sgemmNR {
				if j >= cols {
					q[j] = 0
				} else if transB {
					q[j] = b[(jc+s+j)*ldb+pc+p]
				} else {
					q[j] = b[(pc+p)*ldb+jc+s+j]
				}
			}
		}
	}
}

// sgemmMacro multiplies a packed mc×kc block of A by a packed kc×nc panel
// of B, adding alpha times the product into C.
func sgemmMacro(mc, nc, kc int, alpha float32, pa, pb []float32, c []float32, ldc int) {
	var tile [sgemmMR * sgemmNR]float32
	for js := 0; js < nc; js += sgemmNR {
		cols := min(sgemmNR, nc-js)
		bs := pb[js*kc : js*kc+kc*sgemmNR]
		for is := 0; is < mc; is += sgemmMR {
			rows := min(sgemmMR, mc-is)
			as := pa[is*kc : is*kc+kc*sgemmMR]
			if rows == sgemmMR && cols == sgemmNR {
				sgemmMicro(kc, alpha, as, bs, c[is*ldc+js:], ldc)
				continue
			}
			clear(tile[:])
			sgemmMicro(kc, alpha, as, bs, tile[:], sgemmNR)
			for r := range rows {
				for j := range cols {
					c[(is+r)*ldc+js+j] += tile[r*sgemmNR+j]
				}
			}
		}
	}
}

// sgemmMicro adds alpha * Σp a[p*MR+r]*b[p*NR+j] into c[r*ldc+j] for the
// MR×NR tile; a and b are packed strips of length kc*MR and kc*NR. The
// 2×4 tile keeps its eight accumulators, four b values and two a values
// in registers (a 4×4 tile spills on amd64 without SIMD).
func sgemmMicro(kc int, alpha float32, a, b []float32, c []float32, ldc int) {
	var c00, c01, c02, c03 float32
	var c10, c11, c12, c13 float32
	a = a[:kc*2]
	b = b[:kc*4]
	for p := 0; p < kc; p++ {
		ap := a[p*2 : p*2+2 : p*2+2]
		bp := b[p*4 : p*4+4 : p*4+4]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		a0, a1 := ap[0], ap[1]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
	}
	r := c[0:4:4]
	r[0] += alpha * c00
	r[1] += alpha * c01
	r[2] += alpha * c02
	r[3] += alpha * c03
	r = c[ldc : ldc+4 : ldc+4]
	r[0] += alpha * c10
	r[1] += alpha * c11
	r[2] += alpha * c12
	r[3] += alpha * c13
}

// SgemmPar is Sgemm with the work split across pool: by blocks of rows of
// C when m is the larger side, otherwise by blocks of columns. It does
// not allocate in steady state (the loop body is a pooled job).
func SgemmPar(pool Pool, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if pool == nil || pool.Threads() <= 1 || m*n*k < 1<<16 {
		Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	j := sgemmJobs.Get().(*sgemmJob)
	*j = sgemmJob{transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, fn: j.fn}
	if m >= n || m >= 4*pool.Threads()*sgemmMR {
		j.byRows = true
		pool.For((m+sgemmMR-1)/sgemmMR, 1, j.fn)
	} else {
		pool.For((n+sgemmColBlock-1)/sgemmColBlock, 1, j.fn)
	}
	j.a, j.b, j.c = nil, nil, nil
	sgemmJobs.Put(j)
}

const sgemmColBlock = 16

// sgemmJob is one SgemmPar call; fn is its run method, bound once so that
// handing it to a Pool allocates nothing.
type sgemmJob struct {
	transA, transB bool
	byRows         bool
	m, n, k        int
	alpha, beta    float32
	a, b, c        []float32
	lda, ldb, ldc  int
	fn             func(lo, hi int)
}

var sgemmJobs = sync.Pool{New: func() any {
	j := &sgemmJob{}
	j.fn = j.run
	return j
}}

func (j *sgemmJob) run(lo, hi int) {
	if j.byRows {
		r0, r1 := lo*sgemmMR, min(hi*sgemmMR, j.m)
		aa := j.a[r0*j.lda:]
		if j.transA {
			aa = j.a[r0:]
		}
		Sgemm(j.transA, j.transB, r1-r0, j.n, j.k, j.alpha, aa, j.lda, j.b, j.ldb, j.beta, j.c[r0*j.ldc:], j.ldc)
		return
	}
	c0, c1 := lo*sgemmColBlock, min(hi*sgemmColBlock, j.n)
	bb := j.b[c0:]
	if j.transB {
		bb = j.b[c0*j.ldb:]
	}
	Sgemm(j.transA, j.transB, j.m, c1-c0, j.k, j.alpha, j.a, j.lda, bb, j.ldb, j.beta, j.c[c0:], j.ldc)
}
