package sgemm

import "sync/atomic"

// Threads
//
// A product on several threads is cut along one dimension into parts
// (whole tiles of C), which each thread runs through the blocked loops on
// its own (problem.rect): no barrier between blocks, one hand-off to the
// pool per call. The operand shared by every part is packed once, before
// the parts start, unless it is prepacked: cutting columns shares A,
// cutting rows shares B; the other operand is packed by each part for its
// own tiles, so nothing is packed twice. There are a few parts per thread,
// taken from an atomic counter, so a thread that starts late (a worker
// waking up) or runs slow (a noisy neighbour) takes fewer.

// partsPerThread is how many parts each thread gets on average.
const partsPerThread = 3

// sharedPackSerial is the size (floats) below which the shared operand is
// packed by the calling thread alone: cheaper than a hand-off. A variable
// so that tests can exercise the parallel packing.
var sharedPackSerial = 64 * 1024

// keepShared is the largest shared packing buffer (floats) kept for the
// next call; larger ones are left to the garbage collector.
const keepShared = 4 << 20

// parJob is one multi-threaded call: the problem with its shared operand
// packed, how it is cut, and the loop bodies handed to the pool (bound
// once, so calls do not allocate closures).
type parJob struct {
	p      problem
	kern   *kernel
	cols   bool // parts are column ranges (else row ranges)
	tiles  int  // tiles along the cut dimension
	parts  int
	next   atomic.Int64
	pa     PackedA // shared A, when cols and A was not prepacked
	pb     PackedB // shared B, when rows and B was not prepacked
	buf    []float32
	partFn func(lo, hi int)
	packFn func(lo, hi int)
}

var parPool = newParPool()

func newParPool() *syncPool[parJob] {
	return &syncPool[parJob]{newFn: func() *parJob {
		j := new(parJob)
		j.partFn = j.work
		j.packFn = j.packShared
		return j
	}}
}

// runParallel computes p on the pool's threads.
func runParallel(p *problem, kern *kernel, pool Pool) {
	threads := pool.Threads()
	mt, nt := (p.m+kern.mr-1)/kern.mr, (p.n+kern.nr-1)/kern.nr
	tm, tn := grid(mt, nt, threads)
	j := parPool.get()
	j.p, j.kern = *p, kern
	j.cols = tn >= tm
	j.tiles = mt
	if j.cols {
		j.tiles = nt
	}
	j.parts = min(j.tiles, partsPerThread*threads)
	j.next.Store(0)
	if j.p.k > 0 {
		j.shareOperand(pool)
	}
	pool.For(threads, 1, j.partFn)
	j.p = problem{}
	j.pa.data, j.pb.data = nil, nil
	if cap(j.buf) > keepShared {
		j.buf = nil
	}
	parPool.put(j)
}

// shareOperand packs the operand every part reads in full (A when parts
// are column ranges, B when they are row ranges), unless it is prepacked
// or B is read in place, and points the problem at the packed copy.
func (j *parJob) shareOperand(pool Pool) {
	p, kern := &j.p, j.kern
	var panels, size int
	if j.cols {
		if p.pa != nil {
			return
		}
		j.pa = PackedA{kern: kern, m: p.m, k: p.k}
		size = packedALen(kern, p.m, p.k)
		panels = (p.m + kern.mr - 1) / kern.mr
	} else {
		if p.pb != nil || p.directB(kern, p.m) {
			return
		}
		j.pb = PackedB{kern: kern, k: p.k, n: p.n}
		size = packedBLen(kern, p.k, p.n)
		panels = (p.n + kern.nr - 1) / kern.nr
	}
	j.buf = grow(j.buf, size)
	if j.cols {
		j.pa.data = j.buf
	} else {
		j.pb.data = j.buf
	}
	if size < sharedPackSerial {
		j.packShared(0, panels)
	} else {
		pool.For(panels, 1, j.packFn)
	}
	if j.cols {
		p.pa, p.a = &j.pa, nil
	} else {
		p.pb, p.b, p.src = &j.pb, nil, nil
	}
}

// packShared packs panels [lo, hi) of the shared operand.
func (j *parJob) packShared(lo, hi int) {
	p, kern := &j.p, j.kern
	if j.cols {
		mr := kern.mr
		packA(p.transA, p.a, p.lda, 0, p.m, 0, p.k, mr, lo, hi, j.pa.data)
		return
	}
	nr := kern.nr
	for s := lo; s < hi; s++ {
		col := s * nr
		dst := j.pb.data[s*p.k*nr : (s+1)*p.k*nr]
		if p.src != nil {
			p.src.PackStrip(dst, 0, p.k, col, min(nr, p.n-col), nr)
		} else {
			packBStrip(p.transB, p.b, p.ldb, 0, p.k, col, min(nr, p.n-col), nr, dst)
		}
	}
}

// work is run by each thread: it takes parts until none is left.
func (j *parJob) work(lo, hi int) {
	s := scratchPool.Get().(*scratch)
	mr, nr := j.kern.mr, j.kern.nr
	for {
		q := int(j.next.Add(1) - 1)
		if q >= j.parts {
			break
		}
		t0, t1 := q*j.tiles/j.parts, (q+1)*j.tiles/j.parts
		if j.cols {
			j.p.rect(j.kern, s, 0, j.p.m, t0*nr, min(t1*nr, j.p.n))
		} else {
			j.p.rect(j.kern, s, t0*mr, min(t1*mr, j.p.m), 0, j.p.n)
		}
	}
	s.blk = block{}
	scratchPool.Put(s)
}
