package runtime

import "sync"

// workerPool is the kernels.Pool of a Session: threads-1 goroutines that
// block on a channel between jobs (no spinning), plus the caller, which
// always runs the first chunk itself.
type workerPool struct {
	threads int
	jobs    chan poolJob
	once    sync.Once
}

type poolJob struct {
	fn     func(lo, hi int)
	lo, hi int
	wg     *sync.WaitGroup
}

func newWorkerPool(threads int) *workerPool {
	p := &workerPool{threads: threads}
	if threads > 1 {
		p.jobs = make(chan poolJob, threads)
		for i := 1; i < threads; i++ {
			go func() {
				for j := range p.jobs {
					j.fn(j.lo, j.hi)
					j.wg.Done()
				}
			}()
		}
	}
	return p
}

// Threads reports the pool's parallelism.
func (p *workerPool) Threads() int { return p.threads }

// For splits [0, n) into at most Threads chunks of at least grain items.
func (p *workerPool) For(n, grain int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	if grain < 1 {
		grain = 1
	}
	chunks := min(p.threads, (n+grain-1)/grain)
	if chunks <= 1 || p.jobs == nil {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	size := (n + chunks - 1) / chunks
	for lo := size; lo < n; lo += size {
		wg.Add(1)
		p.jobs <- poolJob{fn, lo, min(lo+size, n), &wg}
	}
	fn(0, min(size, n))
	wg.Wait()
}

func (p *workerPool) close() {
	p.once.Do(func() {
		if p.jobs != nil {
			close(p.jobs)
		}
	})
}
