package sgemm

// Pool runs the iterations [0, n) of a loop body in contiguous chunks,
// possibly on several goroutines, and returns when all have finished. It
// has the method set of kernels.Pool, so the runtime's pool can be passed
// directly; it is declared here so that package kernels can import sgemm.
type Pool interface {
	For(n, grain int, fn func(lo, hi int))
	Threads() int
}

// serial is the Pool used when the caller passes nil or the product is too
// small to be worth a hand-off.
type serial struct{}

func (serial) For(n, grain int, fn func(lo, hi int)) {
	if n > 0 {
		fn(0, n)
	}
}

func (serial) Threads() int { return 1 }
