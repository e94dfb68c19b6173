package kernels

// ewUnaryJob is one float32 unary elementwise op split over the pool,
// handed to it through a jobPool so that a parallel step allocates
// nothing (a closure over the slices escaped to the heap, one allocation
// per parallel step and Run).
type ewUnaryJob struct {
	op   ewUOp
	p    *ewUParams
	s, d []float32
}

var ewUnaryLoop = newJobPool(func(j *ewUnaryJob, lo, hi int) { ewUnaryF32(j.op, j.p, j.s[lo:hi], j.d[lo:hi]) })

// ewUnaryF32Par runs ewUnaryF32 over s into d, split as ewFor splits.
func ewUnaryF32Par(c *Ctx, op ewUOp, p *ewUParams, s, d []float32) {
	n := len(s)
	if n <= 0 {
		return
	}
	if c == nil || c.Pool == nil || n < 2*ewGrain {
		ewUnaryF32(op, p, s, d)
		return
	}
	ewUnaryLoop.For(c.Pool, n, ewGrain, ewUnaryJob{op: op, p: p, s: s, d: d})
}
