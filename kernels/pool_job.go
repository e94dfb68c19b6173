package kernels

import (
	"github.com/nncc/nncc/internal/recycle"
	"sync/atomic"
)

// jobPool hands loop jobs of type J to a Pool without allocating per loop.
//
// Passing a method value such as j.run to Pool.For makes j escape, so a
// kernel that built its job on the stack would allocate it on every Run.
// A jobPool instead recycles boxes that hold a job and loop bodies bound
// once, when the box is made, to body applied to the box's job: a loop
// copies the caller's job into a box, runs, clears the box (so it keeps no
// tensors alive) and returns it for the next loop.
type jobPool[J any] struct {
	body  func(j *J, lo, hi int)
	boxes recycle.Pool
}

type jobBox[J any] struct {
	job J
	// claimed loops: items [0, n) in one share per participant, taken
	// grain at a time (claimLoop).
	n, grain int
	shares   []claimShare
	fn       func(lo, hi int) // body over the chunk the pool gives
	claim    func(lo, hi int) // participant lo's claims until none are left
}

// claimShare is one participant's share of a claimed loop: the items
// [lo, hi) not yet taken, lo in the high 32 bits and hi in the low ones,
// so that its owner (from the front) and a thief (from the back) claim
// with one compare-and-swap each. Each share has its own cache line.
type claimShare struct {
	span atomic.Uint64
	_    [56]byte
}

// take claims up to grain items from the front (the owner) or the back
// (a thief) of the share.
func (s *claimShare) take(grain int, back bool) (int, int, bool) {
	for {
		v := s.span.Load()
		lo, hi := int(v>>32), int(v&(1<<32-1))
		if lo >= hi {
			return 0, 0, false
		}
		a, b := lo, min(lo+grain, hi)
		if back {
			a, b = max(hi-grain, lo), hi
		}
		nv := uint64(b)<<32 | uint64(hi)
		if back {
			nv = uint64(lo)<<32 | uint64(a)
		}
		if s.span.CompareAndSwap(v, nv) {
			return a, b, true
		}
	}
}

// newJobPool returns a jobPool whose loops run body over ranges of items,
// for example newJobPool((*fooJob).run).
func newJobPool[J any](body func(j *J, lo, hi int)) *jobPool[J] {
	return &jobPool[J]{body: body}
}

func (jp *jobPool[J]) get(job J) *jobBox[J] {
	b, _ := jp.boxes.Get().(*jobBox[J])
	if b == nil {
		b = new(jobBox[J])
		b.fn = func(lo, hi int) { jp.body(&b.job, lo, hi) }
		b.claim = func(me, _ int) { b.claimLoop(jp.body, me) }
	}
	b.job = job
	return b
}

func (jp *jobPool[J]) put(b *jobBox[J]) {
	var zero J
	b.job = zero
	jp.boxes.Put(b)
}

// For runs p.For(n, grain, ·) with the loop body bound to a copy of job:
// the pool's static chunking.
func (jp *jobPool[J]) For(p Pool, n, grain int, job J) {
	b := jp.get(job)
	p.For(n, grain, b.fn)
	jp.put(b)
}

// ForClaimed runs the body over items [0, n) on all of p's threads, each
// taking grain items at a time until none are left, so that a thread the
// machine deschedules holds up only the items it has claimed, never a
// fixed share of the work.
//
// Each participant owns a contiguous share of the items and claims from
// its front first; only then does it take what is left of the others'
// shares, from their backs. The caller of Pool.For is always participant
// 0, so in steady state a thread works on the same items every Run and
// finds the constant data they read (a layer's weights) in its own
// core's cache, which a single shared counter, handing the items out in
// whatever order the threads arrive, does not give.
func (jp *jobPool[J]) ForClaimed(p Pool, n, grain int, job J) {
	b := jp.get(job)
	b.n, b.grain = n, max(grain, 1)
	// No more participants than batches: a thread that found nothing
	// left would only have been woken for it.
	t := min(p.Threads(), (n+b.grain-1)/b.grain)
	if cap(b.shares) < t {
		b.shares = make([]claimShare, t)
	}
	b.shares = b.shares[:t]
	for i := range t {
		lo, hi := i*n/t, (i+1)*n/t
		b.shares[i].span.Store(uint64(lo)<<32 | uint64(hi))
	}
	p.For(t, 1, b.claim)
	jp.put(b)
}

// claimLoop is participant me's part of a claimed loop: its own share
// from the front, then the others' from the back.
func (b *jobBox[J]) claimLoop(body func(j *J, lo, hi int), me int) {
	t := len(b.shares)
	for k := range t {
		s := &b.shares[(me+k)%t]
		for {
			lo, hi, ok := s.take(b.grain, k > 0)
			if !ok {
				break
			}
			body(&b.job, lo, hi)
		}
	}
}
