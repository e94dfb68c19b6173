package sgemm

import "fmt"

// problem is one product C = alpha*op(A)*op(B) + beta*C plus epilogue.
type problem struct {
	transA, transB bool
	m, n, k        int
	alpha          float32
	a              []float32
	lda            int
	b              []float32 // nil when pb is set
	ldb            int
	pb             *PackedB
	beta           float32
	c              []float32
	ldc            int
	ep             *Epilogue
}

// serialWork is the m·n·k below which one thread is faster than handing
// chunks to a pool: about 14 MFLOP, some 70 µs of AVX-512 work. Waking a
// parked worker and joining it costs tens of microseconds on the VMs we
// measure on, whose two vCPUs also share one core's FMA units; with 48³
// the seed Transformer ran 35% slower on two threads than on one, with
// 192³ 28%, and the CNN and LSTM seeds no slower (nncc bench, 2026-11-28).
const serialWork = 192 * 192 * 192

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
	if p.alpha != 0 {
		if p.transA {
			need("A", p.a, p.k, p.m, p.lda)
		} else {
			need("A", p.a, p.m, p.k, p.lda)
		}
		if p.pb == nil {
			if p.transB {
				need("B", p.b, p.n, p.k, p.ldb)
			} else {
				need("B", p.b, p.k, p.n, p.ldb)
			}
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

// run executes the blocked loops described in the package comment.
func (p *problem) run(kern *kernel, pool Pool) {
	m, n := p.m, p.n
	if m == 0 || n == 0 {
		return
	}
	k := p.k
	if p.alpha == 0 {
		k = 0 // C = beta*C (+ epilogue); A and B are not read
	}
	if pool == nil || pool.Threads() <= 1 || m*n*max(k, 1) < serialWork {
		pool = serial{}
	}
	mr, nr := kern.mr, kern.nr
	kcb := balance(k, kern.kc, 1)
	ncb := balance(n, kern.nc, nr)
	mcb := balance(m, kern.mc, mr)
	threads := pool.Threads()

	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)
	s.a = grow(s.a, mcb*max(kcb, 1))
	if p.pb == nil {
		s.b = grow(s.b, ncb*max(kcb, 1))
	}
	s.edge = grow(s.edge, threads*(mr*nr+nr))
	s.prob = *p
	defer func() { s.prob, s.blk = problem{}, block{} }() // drop references to caller data

	var act int
	var bias []float32
	if p.ep != nil {
		act, bias = int(p.ep.Act), p.ep.Bias
	}
	blk := &s.blk
	for ic := 0; ic < m; ic += mcb {
		mc := min(mcb, m-ic)
		mt := (mc + mr - 1) / mr
		for pc := 0; pc == 0 || pc < k; pc += kcb {
			kc := min(kcb, k-pc)
			*blk = block{p: &s.prob, kern: kern, s: s, ic: ic, mc: mc, pc: pc, kc: kc, beta: 1}
			if pc == 0 {
				blk.beta = p.beta
			}
			if pc+kc >= k {
				blk.bias, blk.act, blk.last = bias, act, true
			}
			for jc := 0; jc < n; jc += ncb {
				blk.jc, blk.nc = jc, min(ncb, n-jc)
				nt := (blk.nc + nr - 1) / nr
				// Pack A (first column block only) and B, split over the pool.
				blk.packA, blk.packB = 0, 0
				if jc == 0 && kc > 0 {
					blk.packA = mt
				}
				if p.pb == nil && kc > 0 {
					blk.packB = nt
				}
				if tasks := blk.packA + blk.packB; tasks > 0 {
					pool.For(tasks, 1, s.packFn)
				}
				// Compute the block on a tm×tn grid of parts.
				tm, tn := grid(mt, nt, threads)
				blk.mt, blk.nt, blk.tm, blk.tn = mt, nt, tm, tn
				pool.For(tm*tn, 1, s.computeFn)
			}
		}
	}
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
