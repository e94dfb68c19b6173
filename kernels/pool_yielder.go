package kernels

import goruntime "runtime"

// Yielder is a Pool that can offer the calling OS thread's core to another
// runnable thread (runtime.Gosched switches only goroutines: the thread
// keeps its core). A loop body that waits for another chunk's progress
// calls it now and then while it waits: on a machine with more runnable
// threads than cores, the thread it waits for may be queued behind it.
type Yielder interface {
	Yield()
}

// Yield calls p.Yield when p is a Yielder, else runtime.Gosched.
func Yield(p any) {
	if y, ok := p.(Yielder); ok {
		y.Yield()
		return
	}
	goruntime.Gosched()
}
