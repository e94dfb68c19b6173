package sgemm

import "fmt"

// problem is one product C = alpha*op(A)*op(B) + beta*C plus epilogue.
type problem struct {
	transA, transB bool
	m, n, k        int
	alpha          float32
	a              []float32
	lda            int
	b              []float32 // nil when pb or src is set
	ldb            int
	pb             *PackedB // prepacked B (then b is nil)
	pa             *PackedA // prepacked A (then a is nil)
	src            BSource  // B packed on demand (then b is nil)
	beta           float32
	c              []float32
	ldc            int
	ep             *Epilogue
}

// Sgemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices:
// op(A) is m×k (A is stored k×m when transA), op(B) is k×n (B is stored n×k
// when transB), C is m×n, and lda, ldb, ldc are row strides. When beta is
// 0, C is only written (NaN in C does not propagate); when alpha is 0, A
// and B are not read. pool may be nil (one thread). Slices too short for
// the given sizes and strides are a caller bug and panic.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, pool Pool) {
	SgemmEpilogue(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil, pool)
}

// SgemmEpilogue is Sgemm with a fused epilogue (bias, activation, hook)
// applied as C is written; ep may be nil.
func SgemmEpilogue(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, ep *Epilogue, pool Pool) {
	p := problem{transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
		a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, ep: ep}
	p.check()
	p.run(current(), pool)
}

// check panics when the slices cannot hold the matrices their sizes and
// strides describe: the assembly kernels do not check bounds themselves.
func (p *problem) check() {
	if p.m < 0 || p.n < 0 || p.k < 0 {
		panic(fmt.Sprintf("sgemm: negative size m=%d n=%d k=%d", p.m, p.n, p.k))
	}
	if p.m == 0 || p.n == 0 {
		return
	}
	need := func(what string, s []float32, rows, cols, ld int) {
		if rows == 0 || cols == 0 {
			return
		}
		if ld < cols {
			panic(fmt.Sprintf("sgemm: %s stride %d < %d columns", what, ld, cols))
		}
		if len(s) < (rows-1)*ld+cols {
			panic(fmt.Sprintf("sgemm: %s has %d elements, %d×%d with stride %d needs %d", what, len(s), rows, cols, ld, (rows-1)*ld+cols))
		}
	}
	need("C", p.c, p.m, p.n, p.ldc)
	if p.alpha != 0 && p.pa == nil {
		if p.transA {
			need("A", p.a, p.k, p.m, p.lda)
		} else {
			need("A", p.a, p.m, p.k, p.lda)
		}
	}
	if p.alpha != 0 && p.pb == nil && p.src == nil {
		if p.transB {
			need("B", p.b, p.n, p.k, p.ldb)
		} else {
			need("B", p.b, p.k, p.n, p.ldb)
		}
	}
	if p.ep != nil && p.ep.Bias != nil && len(p.ep.Bias) < p.n {
		panic(fmt.Sprintf("sgemm: bias has %d elements, C has %d columns", len(p.ep.Bias), p.n))
	}
}

// balance returns a block size ≤ max (rounded up to a multiple of unit)
// that splits total into equal blocks, so the last block is not a sliver.
func balance(total, max, unit int) int {
	if total <= 0 {
		return unit
	}
	blocks := (total + max - 1) / max
	size := (total + blocks - 1) / blocks
	return (size + unit - 1) / unit * unit
}

// run computes the product on one thread, or on the pool's threads when it
// is large enough to be worth the hand-off (parallel.go).
func (p *problem) run(kern *kernel, pool Pool) {
	if p.m == 0 || p.n == 0 {
		return
	}
	if p.alpha == 0 {
		p.k = 0 // C = beta*C (+ epilogue); A and B are not read
	}
	if splits(p, pool) { // split.go
		runParallel(p, kern, pool)
		return
	}
	s := scratchPool.Get().(*scratch)
	s.prob = *p
	s.prob.rect(kern, s, 0, p.m, 0, p.n)
	s.prob, s.blk = problem{}, block{} // drop references to caller data
	scratchPool.Put(s)
}

// rect computes rows [i0, i1) × columns [j0, j1) of C on the calling
// goroutine with the blocked loops of the package comment, packing into
// s. i0 and j0 are multiples of the kernel's mr and nr (prepacked operands
// are indexed by whole panels).
func (p *problem) rect(kern *kernel, s *scratch, i0, i1, j0, j1 int) {
	if kern.fnD != nil && p.k >= kern.kD {
		p.rectDown(kern, s, i0, i1, j0, j1) // down.go
		return
	}
	k := p.k
	mr, nr := kern.mr, kern.nr
	kcb := balance(k, kern.kc, 1)
	ncb := balance(j1-j0, kern.ncFor(kcb), nr)
	mcb := balance(i1-i0, kern.mc, mr)
	direct, directA, act, bias := p.rectSetup(kern, s, i1-i0, j1-j0, kcb, ncb, mcb)
	blk := &s.blk
	for ic := i0; ic < i1; ic += mcb {
		mc := min(mcb, i1-ic)
		mt := (mc + mr - 1) / mr
		for pc := 0; pc == 0 || pc < k; pc += kcb {
			kc := min(kcb, k-pc)
			*blk = block{p: p, kern: kern, s: s, ic: ic, mc: mc, pc: pc, kc: kc, beta: 1, direct: direct, directA: directA}
			if pc == 0 {
				blk.beta = p.beta
			}
			if pc+kc >= k {
				blk.bias, blk.act, blk.last = bias, act, true
			}
			for jc := j0; jc < j1; jc += ncb {
				blk.jc, blk.nc = jc, min(ncb, j1-jc)
				nt := (blk.nc + nr - 1) / nr
				blk.packA, blk.packB = 0, 0
				if jc == j0 && kc > 0 && p.pa == nil {
					blk.packA = mt
				}
				if p.pb == nil && kc > 0 {
					blk.packB = nt
				}
				blk.pack(0, blk.packA+blk.packB)
				blk.mt, blk.nt, blk.tm, blk.tn = mt, nt, 1, 1
				blk.compute(0)
			}
		}
	}
}

// rectSetup sizes s's packing buffers for blocks of mcb × kcb of A and
// kcb × ncb of B over rows × cols of C, and returns whether the blocks
// read B and A in place and the epilogue's activation and bias (applied
// with the last block of k): what rect and rectDown share before their
// loops.
func (p *problem) rectSetup(kern *kernel, s *scratch, rows, cols, kcb, ncb, mcb int) (direct, directA bool, act int, bias []float32) {
	mr, nr := kern.mr, kern.nr
	if p.pa == nil {
		s.a = grow(s.a, mcb*max(kcb, 1))
	}
	direct = p.directB(kern, rows)
	directA = p.directA(kern, cols, ncb)
	if p.pb == nil {
		s.b = grow(s.b, ncb*max(kcb, 1))
	}
	s.edge = grow(s.edge, mr*nr+nr)
	if p.ep != nil {
		act, bias = int(p.ep.Act), p.ep.Bias
	}
	return direct, directA, act, bias
}

// directBRows is the largest row count for which the kernels read a plain
// (not transposed) B in place instead of packing it: a B block then feeds
// few tiles, and packing it costs as much as a good part of the product
// (64×768×768: about a third). A variable so that tuning tests can
// compare both ways.
var directBRows = 16 * 6

// directB reports whether rect over rows rows should read op(B) in place:
// the kernel has a strided variant, B is a plain matrix, few rows share
// each block, and the row stride is not a multiple of 4 KB (whose rows
// would all fall in the same few cache sets).
func (p *problem) directB(kern *kernel, rows int) bool {
	return kern.fnS != nil && p.b != nil && !p.transB && p.pb == nil && p.src == nil &&
		rows <= directBRows && p.ldb%1024 != 0
}

// directATiles is the largest number of column tiles per block for which
// the kernels read A in place instead of packing it. Reading in place won
// or tied at every size measured (TestTuneShapes: 128-row Transformer
// products +3-10%, 1024³ and 64×768×768 level), so there is no limit; a
// variable so that tuning tests can compare both ways.
var directATiles = 1 << 30

// directA reports whether rect over cols columns (blocks of ncb) should
// read op(A) in place: the kernel reads general strides, A is not
// prepacked, at most directATiles column tiles share each panel, and A
// is not a transposed matrix with an aliasing stride (aliasedTransA).
func (p *problem) directA(kern *kernel, cols, ncb int) bool {
	nt := (min(cols, ncb) + kern.nr - 1) / kern.nr
	return kern.fnG != nil && p.pa == nil && p.a != nil && nt <= directATiles && !p.aliasedTransA()
}

// grid chooses how to cut an mt×nt grid of tiles among threads: tm row
// groups times tn column groups, minimising the tiles of the largest part
// (ties go to more row groups, which share the packed B block).
func grid(mt, nt, threads int) (tm, tn int) {
	tm, tn = 1, 1
	best := mt * nt
	for r := 2; r <= threads; r++ {
		for _, f := range [][2]int{{r, threads / r}, {threads / r, r}} {
			a, b := max(f[0], 1), max(f[1], 1)
			if a > mt || b > nt {
				continue
			}
			cost := ((mt + a - 1) / a) * ((nt + b - 1) / b)
			if cost < best || (cost == best && a*b < tm*tn) {
				best, tm, tn = cost, a, b
			}
		}
	}
	return tm, tn
}
