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
