package sgemm

import (
	"runtime"
	"sync/atomic"
)

// Threads
//
// A product on several threads is cut along one dimension into parts
// (whole tiles of C), which each thread runs through the blocked loops on
// its own (problem.rect): no barrier between blocks, one hand-off to the
// pool per call. Cutting columns shares A among the parts, cutting rows
// shares B; the shared operand is packed once (unless it is prepacked or
// the kernels read it in place, as they read A wherever they can: see
// problem.directA) and the other is packed by each part for its own
// tiles, so nothing is packed twice. The shared packing happens inside
// the same hand-off: threads take its panels from an atomic counter, then wait
// (for at most one panel) until all are done.
//
// The parts, a few per thread, are dealt out in as many home ranges as
// there are threads, in order: the pool's chunk t (chunk 0 is always the
// caller's) takes the parts of range t first, then the parts left in the
// other ranges. So a thread that starts late (a worker waking up) or runs
// slow (a noisy neighbour) takes fewer, and when all run in time each
// computes the same rows of C (or columns) call after call: the rows the
// next step reads on that thread, if it splits the same way, are in its
// own core's cache. Reading what the other core just wrote costs a cheap
// step two to three times its time on this machine (split.go).

// partsPerThread is how many parts each thread gets on average.
const partsPerThread = 3

// keepShared is the largest shared packing buffer (floats) kept for the
// next call; larger ones are left to the garbage collector.
const keepShared = 4 << 20

// parJob is one multi-threaded call: the problem, how it is cut, the
// shared packed operand, and the loop body handed to the pool (bound
// once, so calls do not allocate closures).
type parJob struct {
	p      problem
	kern   *kernel
	cols   bool // parts are column ranges (else row ranges)
	tiles  int  // tiles along the cut dimension
	parts  int
	ranges []partRange // home ranges of parts, one per thread
	pa     PackedA     // shared A, when cols and A was not prepacked
	pb     PackedB     // shared B, when rows and B was not prepacked
	buf    []float32
	partFn func(lo, hi int)

	packTasks          int64        // panels of the shared operand to pack (0: none)
	packNext, packDone atomic.Int64 // panels taken, panels finished
}

// partRange is the home range of one thread's parts: next is the next
// part to take, end the first part of the next range. Each on its own
// cache line: the threads take from their own ranges at the same time.
type partRange struct {
	next atomic.Int64
	end  int64
	_    [48]byte
}

var parPool = newParPool()

// rowParts makes every multi-threaded product cut its rows (a tuning
// knob: TestTuneS6Par).
var rowParts = false

func newParPool() *typedPool[parJob] {
	return &typedPool[parJob]{newFn: func() *parJob {
		j := new(parJob)
		j.partFn = j.work
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
	j.cols = tn >= tm && !rowParts
	j.tiles = mt
	if j.cols {
		j.tiles = nt
	}
	j.parts = min(j.tiles, partsPerThread*threads)
	j.deal(threads)
	j.packTasks = 0
	j.packNext.Store(0)
	j.packDone.Store(0)
	if j.p.k > 0 {
		j.shareOperand()
	}
	pool.For(threads, 1, j.partFn)
	j.p = problem{}
	j.pa.data, j.pb.data = nil, nil
	if cap(j.buf) > keepShared {
		j.buf = nil
	}
	parPool.put(j)
}

// deal cuts the parts into home ranges, one per thread (parallel.go's
// doc).
func (j *parJob) deal(threads int) {
	if cap(j.ranges) < threads {
		j.ranges = make([]partRange, threads)
	}
	j.ranges = j.ranges[:threads]
	for t := range j.ranges {
		r := &j.ranges[t]
		r.next.Store(int64(t * j.parts / threads))
		r.end = int64((t + 1) * j.parts / threads)
	}
}

// take returns the next part for the thread that runs pool chunk t: from
// its own range while any is left, then from the others' in turn.
func (j *parJob) take(t int) (int, bool) {
	n := len(j.ranges)
	for i := range n {
		r := &j.ranges[(t+i)%n]
		if r.next.Load() >= r.end {
			continue
		}
		if q := r.next.Add(1) - 1; q < r.end {
			return int(q), true
		}
	}
	return 0, false
}

// shareOperand prepares the packing of the operand every part reads in
// full (A when parts are column ranges, B when they are row ranges),
// unless it is prepacked or B is read in place: it sizes the buffer and
// sets packTasks. The problem keeps the unpacked operand for the packing
// (packShared); work points it at the packed copy.
func (j *parJob) shareOperand() {
	p, kern := &j.p, j.kern
	var panels, size int
	if j.cols {
		// A read in place (as on one thread) is not packed at all: on
		// 1024³ over two threads, packing a shared A held the threads to
		// 1.81x (AVX-512) and 1.81x (AVX2) of one thread's GFLOPS per CPU
		// second, reading it in place gave 2.00x and 1.99x (same run,
		// TestTuneS4Par, session 4).
		if p.pa != nil || p.directA(kern, p.n, kern.nc) {
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
	j.packTasks = int64(panels)
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

// work is run by each thread: it packs panels of the shared operand
// until none is left, waits for the others' panels, then takes parts
// until none is left. The loop is pool.For(threads, 1, ·), so each chunk
// is one thread's and lo is its home range (a serial pool runs all with
// lo 0, which takes every range in turn).
func (j *parJob) work(lo, hi int) {
	if j.packTasks > 0 {
		for {
			t := j.packNext.Add(1) - 1
			if t >= j.packTasks {
				break
			}
			j.packShared(int(t), int(t)+1)
			j.packDone.Add(1)
		}
		for j.packDone.Load() < j.packTasks {
			runtime.Gosched() // another thread is finishing its last panel
		}
	}
	// Each thread computes from its own copy of the problem, pointed at
	// the shared packed operand (the original still has the unpacked one,
	// which late threads' packShared calls read).
	s := scratchPool.Get().(*scratch)
	s.prob = j.p
	p := &s.prob
	if j.packTasks > 0 {
		if j.cols {
			p.pa, p.a = &j.pa, nil
		} else {
			p.pb, p.b, p.src = &j.pb, nil, nil
		}
	}
	mr, nr := j.kern.mr, j.kern.nr
	for {
		q, ok := j.take(lo)
		if !ok {
			break
		}
		t0, t1 := q*j.tiles/j.parts, (q+1)*j.tiles/j.parts
		if j.cols {
			p.rect(j.kern, s, 0, p.m, t0*nr, min(t1*nr, p.n))
		} else {
			p.rect(j.kern, s, t0*mr, min(t1*mr, p.m), 0, p.n)
		}
	}
	s.prob, s.blk = problem{}, block{}
	scratchPool.Put(s)
}
