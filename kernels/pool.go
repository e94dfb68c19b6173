package kernels

// Pool runs the iterations [0, n) of a loop body, split into contiguous
// chunks, possibly on several goroutines. For must return only when every
// chunk has finished.
type Pool interface {
	// For calls fn over disjoint [lo, hi) ranges covering [0, n). grain is
	// the smallest chunk worth a goroutine hand-off.
	For(n, grain int, fn func(lo, hi int))
	// Threads reports the parallelism available.
	Threads() int
}

// Serial is a Pool that runs everything on the calling goroutine.
type Serial struct{}

// For runs fn(0, n).
func (Serial) For(n, grain int, fn func(lo, hi int)) {
	if n > 0 {
		fn(0, n)
	}
}

// Threads returns 1.
func (Serial) Threads() int { return 1 }

// Rester is a Pool whose idle workers keep polling for the next loop for a
// while after each one, so that loops in quick succession find them awake.
// Rest tells it that no loop follows soon: a kernel about to run a long
// serial stretch (an RNN's recurrence after its parallel input
// projection) calls it so that polling workers park and leave the cores to
// the caller and to other processes. The next loop wakes them.
type Rester interface {
	Rest()
}

// Rest calls p.Rest when p is a Rester; otherwise it does nothing.
func Rest(p Pool) {
	if r, ok := p.(Rester); ok {
		r.Rest()
	}
}
