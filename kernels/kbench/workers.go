package kbench

import "sync"

// workers is a Pool (sgemm.Pool, kernels.Pool) like the runtime's:
// threads-1 goroutines parked on a channel; the caller runs the first chunk.
type workers struct {
	threads int
	jobs    chan job
}

type job struct {
	fn     func(lo, hi int)
	lo, hi int
	wg     *sync.WaitGroup
}

func newWorkers(threads int) *workers {
	w := &workers{threads: threads, jobs: make(chan job, threads)}
	for range threads - 1 {
		go func() {
			for j := range w.jobs {
				j.fn(j.lo, j.hi)
				j.wg.Done()
			}
		}()
	}
	return w
}

func (w *workers) Threads() int { return w.threads }

func (w *workers) For(n, grain int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	grain = max(grain, 1)
	chunks := min(w.threads, (n+grain-1)/grain)
	if chunks <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	size := (n + chunks - 1) / chunks
	for lo := size; lo < n; lo += size {
		wg.Add(1)
		w.jobs <- job{fn, lo, min(lo+size, n), &wg}
	}
	fn(0, min(size, n))
	wg.Wait()
}

func (w *workers) close() { close(w.jobs) }
