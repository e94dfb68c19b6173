package kernels

import "sync"

// ewUnaryJob is one float32 unary elementwise op split over the pool. Its
// fn is its run method bound once, so that handing it to the pool
// allocates nothing (a closure over the slices escaped to the heap, one
// allocation per parallel step and Run).
type ewUnaryJob struct {
	op   ewUOp
	p    *ewUParams
	s, d []float32
	fn   func(lo, hi int)
}

var ewUnaryJobs = sync.Pool{New: func() any {
	j := &ewUnaryJob{}
	j.fn = j.run
	return j
}}

func (j *ewUnaryJob) run(lo, hi int) { ewUnaryF32(j.op, j.p, j.s[lo:hi], j.d[lo:hi]) }

// ewUnaryF32Par runs ewUnaryF32 over s into d split by ewFor, through a
// pooled job.
func ewUnaryF32Par(c *Ctx, op ewUOp, p *ewUParams, s, d []float32) {
	j := ewUnaryJobs.Get().(*ewUnaryJob)
	j.op, j.p, j.s, j.d = op, p, s, d
	ewFor(c, len(s), j.fn)
	j.p, j.s, j.d = nil, nil, nil
	ewUnaryJobs.Put(j)
}
