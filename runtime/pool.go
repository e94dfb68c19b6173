package runtime

import (
	goruntime "runtime"
	"sync"
)

// workerPool is the kernels.Pool of a Session: threads-1 goroutines plus
// the caller, which always runs the first chunk itself. A worker that has
// just finished a job polls for the next one for a short while (a model's
// kernels come in quick succession, and waking a parked goroutine costs
// microseconds) and then parks on the channel: idle sessions do not spin.
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
			go p.work()
		}
	}
	return p
}

// spinPolls is how many times a worker polls for a job (yielding between
// polls) before it parks; about tens of microseconds.
const spinPolls = 200

func (p *workerPool) work() {
	for {
		var j poolJob
		var ok bool
		got := false
		for i := 0; i < spinPolls && !got; i++ {
			select {
			case j, ok = <-p.jobs:
				got = true
			default:
				goruntime.Gosched()
			}
		}
		if !got {
			j, ok = <-p.jobs
		}
		if !ok {
			return
		}
		j.fn(j.lo, j.hi)
		j.wg.Done()
	}
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
