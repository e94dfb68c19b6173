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
	// claimed loops: items [0, n), taken grain at a time through next.
	n, grain int
	next     atomic.Int64
	fn       func(lo, hi int) // body over the chunk the pool gives
	claim    func(lo, hi int) // body over claimed batches until none are left
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
		b.claim = func(_, _ int) {
			for {
				lo := int(b.next.Add(int64(b.grain))) - b.grain
				if lo >= b.n {
					return
				}
				jp.body(&b.job, lo, min(lo+b.grain, b.n))
			}
		}
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
// taking grain items at a time from a shared counter until none are left,
// so that a thread the machine deschedules holds up only the items it has
// claimed, never a fixed share of the work.
func (jp *jobPool[J]) ForClaimed(p Pool, n, grain int, job J) {
	b := jp.get(job)
	b.n, b.grain = n, max(grain, 1)
	b.next.Store(0)
	// No more threads than batches: a thread that found nothing left
	// would only have been woken for it.
	p.For(min(p.Threads(), (n+b.grain-1)/b.grain), 1, b.claim)
	jp.put(b)
}
