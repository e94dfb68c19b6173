package kernels

import "sync"

// jobPool hands loop jobs of type J to a Pool without allocating per loop.
//
// Passing a method value such as j.run to Pool.For makes j escape, so a
// kernel that built its job on the stack would allocate it on every Run.
// A jobPool instead recycles boxes that hold a job and a loop body bound
// once, when the box is made, to body applied to the box's job: For copies
// the caller's job into a box, runs the loop, clears the box (so it keeps
// no tensors alive) and returns it for the next loop.
type jobPool[J any] struct {
	body  func(j *J, lo, hi int)
	boxes sync.Pool
}

type jobBox[J any] struct {
	job J
	fn  func(lo, hi int)
}

// newJobPool returns a jobPool whose loops run body over the job's range,
// for example newJobPool((*fooJob).run).
func newJobPool[J any](body func(j *J, lo, hi int)) *jobPool[J] {
	return &jobPool[J]{body: body}
}

// For runs the pool loop p.For(n, grain, ·) with the loop body bound to a
// copy of job.
func (jp *jobPool[J]) For(p Pool, n, grain int, job J) {
	b, _ := jp.boxes.Get().(*jobBox[J])
	if b == nil {
		b = new(jobBox[J])
		b.fn = func(lo, hi int) { jp.body(&b.job, lo, hi) }
	}
	b.job = job
	p.For(n, grain, b.fn)
	var zero J
	b.job = zero
	jp.boxes.Put(b)
}
