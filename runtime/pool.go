package runtime

import (
	"fmt"
	goruntime "runtime"
	"sync"
	"sync/atomic"
	"time"
)

// workerPool is the kernels.Pool of a Session: threads-1 worker goroutines
// plus the caller of For.
//
// A For publishes one job (the loop body and its chunking) and then takes
// chunks itself, claiming them from the same atomic counter as the
// workers. The caller therefore never waits for a worker that has not
// started: when the workers are parked or descheduled (the machine is
// shared, waking a parked worker costs microseconds), the caller runs
// every chunk and the loop costs what the serial loop costs. It only waits
// for chunks a worker has claimed and is running.
//
// A worker that has run a chunk keeps polling for the next job for
// spinWindow (a model's kernels come in quick succession) and then parks
// on its wakeup (pool_wake_linux.go: a futex, so that a signal wakes the
// worker's own thread without a detour through the Go scheduler): an idle
// session does not spin. While polling it yields its core now and then
// (osYield: sched_yield, not runtime.Gosched), so that a thread waiting
// for that core gets it: the caller, when the kernel has woken the worker
// onto the caller's core because no core was idle. A For that finds workers
// parked wakes them and carries on without them; a woken worker polls for
// a fresh spinWindow, so it is hot for the next loop of the same Run. A
// Run whose first parallel step comes soon wakes parked workers as it
// starts (prime, exec.go), so that they are already polling when its first
// parallel loop comes; one whose first parallel step comes late wakes them
// as that step starts, and one without parallel steps not at all.
//
// The caller joins the chunks claimed by workers by polling for a short
// while (joinSpin) and then blocking on a wakeup that the worker finishing
// the last chunk signals. Polling longer (it used to poll with
// runtime.Gosched until the end) is what made a descheduled worker
// expensive: Gosched yields the goroutine, not the OS thread, so the core
// stays busy and on a machine with more runnable threads than cores (ONNX
// Runtime's spinning threads next to ours) the worker holding the last
// chunk waited for the kernel's time slice to end, up to milliseconds.
// Blocking frees the caller's core, so the worker runs at once.
//
// A kernel about to run a long serial stretch (the recurrence of an LSTM
// after its parallel input projection) calls rest: polling workers park at
// once instead of taking a core from the caller for the rest of their
// spin window.
//
// A session with Threads > 1 may run a whole Run without the pool: its
// frames choose per Run between the pool and kernels.Serial from measured
// Run times (adaptive.go, Options.AlwaysParallel), and a serial Run rests
// the workers unless a concurrent Run of the session is in its parallel
// arm (parRuns, restAlone).
//
// For does not allocate. One job is in flight at a time: a For called
// while another is running (concurrent Runs of one session, or a loop
// body that itself calls For) runs its body on the calling goroutine.
type workerPool struct {
	threads int
	workers []*poolWorker

	// busy is held by the For whose job is published.
	busy atomic.Bool
	// claim is the job generation (high 32 bits), the job's chunk count
	// (bits 16–31) and the index of the next unclaimed chunk (low 16
	// bits); a claim is a CAS on it. The bound travels in the same word
	// as the index: a worker holding a stale generation compares against
	// that generation's count, never a newer job's, so it can never take
	// a chunk while the next job's fields are being written.
	claim atomic.Uint64
	// The job: fn over [0, n) in chunks of size; every field is written
	// before claim publishes the generation.
	fn   atomic.Value // func(lo, hi int)
	n    atomic.Int64
	size atomic.Int64
	// done counts finished chunks of the current job.
	done atomic.Int64
	// panicked holds the first panic value of a chunk, re-raised on the
	// caller once every chunk has finished.
	panicked atomic.Pointer[poolPanic]
	gen      uint64 // last generation published (owned by busy's holder)

	// jobs counts the jobs published to the workers (loops run inline
	// are not counted); a Run compares it before and after to learn
	// whether its plan uses the workers at all.
	jobs atomic.Uint64

	// joinWait is set by a caller about to block in join; the worker
	// that finishes the job's last chunk clears it and signals joined.
	joinWait atomic.Bool
	joined   wakeup

	// resting asks polling workers to park now (rest); For and prime
	// clear it.
	resting atomic.Bool

	// parRuns counts the session's top-level Runs in progress in their
	// parallel arm (exec.go): a serial Run rests the workers only when
	// it is 0 (restAlone).
	parRuns atomic.Int32

	// runs counts a session's top-level Runs per arm (adaptive.go).
	runs    [2]atomic.Uint64
	medians [2]atomic.Int64 // ns, as the last Run's frame saw them

	sleepers atomic.Int32
	closed   atomic.Bool
	once     sync.Once
}

type poolWorker struct {
	wake wakeup
	_    [60]byte // keep workers' hot fields on their own cache lines
}

type poolPanic struct{ v any }

// spinWindow is how long a worker polls for the next job after its last
// one before it parks.
const spinWindow = 100 * time.Microsecond

// joinSpin bounds how long a For polls for chunks still running on
// workers before it blocks: at least joinSpinMin, half the time the
// caller's own chunks took (a worker that started with the caller is done
// by then unless it was descheduled), at most joinSpinMax. Blocking and
// being woken costs a few microseconds more than polling when the worker
// is about to finish.
const (
	joinSpinMin = 5 * time.Microsecond
	joinSpinMax = 50 * time.Microsecond
)

// yieldEvery is how many polls a waiting goroutine makes between yields
// of its thread (osYield, a system call). goschedEvery is how many of
// those also yield to other goroutines: runtime.Gosched takes the
// scheduler's global lock, which the other polling goroutine then waits
// for.
const (
	yieldEvery   = 1024
	goschedEvery = 8
)

// noJob replaces the loop body of a finished job so that the pool does
// not keep the caller's closure (and what it references) alive.
var noJob = func(lo, hi int) {}

func newWorkerPool(threads int) *workerPool {
	return newWorkerPoolOf(threads, threads-1)
}

// newSessionPool is a session's pool of threads: its loops are split for
// that many, but it starts no more workers than can run beside the caller
// (GOMAXPROCS − 1). A worker beyond those would never run at the same
// time as the others, and each parked worker is an OS thread that a Run's
// wake-up has to reach (pool_wake_linux.go): Threads 8 on the 2-core VM
// ran seed_cnn_cifar in 0.082–0.084 ms with 7 workers against 0.0705 with
// session 12's goroutine workers. The chunks are claimed, so the caller
// and the workers that exist take all of them.
func newSessionPool(threads int) *workerPool {
	return newWorkerPoolOf(threads, min(threads, goruntime.GOMAXPROCS(0))-1)
}

// newWorkerPoolOf is a pool splitting loops for threads with the given
// number of workers besides the caller.
func newWorkerPoolOf(threads, workers int) *workerPool {
	p := &workerPool{threads: max(threads, 1)}
	p.fn.Store(noJob)
	for range max(workers, 0) {
		w := &poolWorker{}
		p.workers = append(p.workers, w)
		go p.work(w)
	}
	return p
}

// Threads reports the pool's parallelism.
func (p *workerPool) Threads() int { return p.threads }

// For splits [0, n) into at most Threads chunks of at least grain items
// (equal sizes, the last possibly shorter) and runs fn on each, returning
// when all have finished.
func (p *workerPool) For(n, grain int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	grain = max(grain, 1)
	chunks := min(p.threads, (n+grain-1)/grain, maxChunks)
	if chunks <= 1 || len(p.workers) == 0 || !p.busy.CompareAndSwap(false, true) {
		fn(0, n)
		return
	}
	size := (n + chunks - 1) / chunks
	chunks = (n + size - 1) / size
	p.fn.Store(fn)
	p.n.Store(int64(n))
	p.size.Store(int64(size))
	p.done.Store(0)
	p.gen = (p.gen + 1) & (1<<32 - 1)
	gen := p.gen
	// Chunk 0 is the caller's (the claim index starts at 1): the first
	// share of every loop runs on the same thread, so a step that reads
	// the first share of what the step before it wrote finds it in its
	// own core's cache (affinity, below).
	p.claim.Store(gen<<32 | uint64(chunks)<<16 | 1)
	p.jobs.Add(1)
	p.prime() // clear a rest request, wake parked workers
	t0 := time.Now()
	p.runOne(fn, 0, min(size, n))
	p.done.Add(1)
	for {
		i, _, ok := p.take(gen)
		if !ok {
			break
		}
		lo := i * size
		p.runOne(fn, lo, min(lo+size, n))
		p.done.Add(1)
	}
	if p.done.Load() < int64(chunks) {
		p.join(int64(chunks), time.Since(t0)/2)
	}
	p.fn.Store(noJob)
	pv := p.panicked.Swap(nil)
	p.busy.Store(false)
	if pv != nil {
		panic(fmt.Sprintf("in a parallel chunk: %v", pv.v))
	}
}

// join waits until all chunks of the published job have finished: it polls
// for spin (clamped to [joinSpinMin, joinSpinMax]), then blocks until the
// worker finishing the last chunk signals joined.
func (p *workerPool) join(chunks int64, spin time.Duration) {
	spin = min(max(spin, joinSpinMin), joinSpinMax)
	t0 := time.Now()
	for spins := 1; p.done.Load() < chunks; spins++ {
		if spins&63 == 0 && time.Since(t0) > spin {
			p.block(chunks)
			return
		}
		if spins%yieldEvery == 0 {
			osYield() // the worker may be waiting for this core
		}
	}
}

// block sleeps until the last chunk has finished. The flag is raised before
// the last look at done, and a worker clears it after counting the last
// chunk, so exactly one of them sees the job finished with the flag up:
// the caller takes the flag back, or the worker signals.
func (p *workerPool) block(chunks int64) {
	p.joinWait.Store(true)
	if p.done.Load() >= chunks && p.joinWait.CompareAndSwap(true, false) {
		return
	}
	p.joined.wait()
}

// rest asks workers polling for the next job to park now: the caller has
// a long serial stretch ahead, and on a machine with more runnable threads
// than cores a polling worker takes the caller's core. The next For or
// prime wakes them.
func (p *workerPool) rest() {
	if len(p.workers) > 0 && !p.resting.Load() {
		p.resting.Store(true)
	}
}

// restAlone is rest unless more than own top-level Runs of the session
// are in their parallel arm: the workers are then another Run's, which
// its next loop would have to wake again (a serial Run passes 0, a kernel
// of a parallel Run 1). A Run entering its parallel arm between the check
// and the request loses its polling workers until its next For wakes
// them: a cost, never a wrong result.
func (p *workerPool) restAlone(own int32) {
	if p.parRuns.Load() <= own {
		p.rest()
	}
}

// Rest implements kernels.Rester: a kernel of a parallel Run asks for it,
// which concurrent parallel Runs of the session override.
func (p *workerPool) Rest() { p.restAlone(1) }

// prime wakes parked workers as a Run starts, so that they are polling by
// the time its first parallel loop is published: waking a parked worker
// takes several microseconds (7–18 µs on the 2-core VM), as long as a
// small model's first steps, and a loop that finds its workers parked
// runs alone. It costs one atomic load when no worker sleeps.
func (p *workerPool) prime() {
	if p.resting.Load() {
		p.resting.Store(false)
	}
	if p.sleepers.Load() > 0 {
		p.wakeAll()
	}
}

// maxChunks bounds a job's chunk count to what the claim word holds.
const maxChunks = 1<<16 - 1

// take claims the next chunk of job gen, if any is left, and returns its
// index and the job's chunk count.
func (p *workerPool) take(gen uint64) (int, int, bool) {
	for {
		c := p.claim.Load()
		i, chunks := int(c&0xffff), int(c>>16&0xffff)
		if c>>32 != gen || i >= chunks {
			return 0, 0, false
		}
		if p.claim.CompareAndSwap(c, c+1) {
			return i, chunks, true
		}
	}
}

// pending reports whether the published job has unclaimed chunks, and
// its generation.
func (p *workerPool) pending() (uint64, bool) {
	c := p.claim.Load()
	return c >> 32, c&0xffff < c>>16&0xffff
}

func (p *workerPool) wakeAll() {
	for _, w := range p.workers {
		w.wake.signal()
	}
}

func (p *workerPool) work(w *poolWorker) {
	last := time.Now()
	for {
		gen, ok := p.pending()
		for spins := 0; !ok; spins++ {
			if p.closed.Load() {
				return
			}
			if spins%yieldEvery == yieldEvery-1 {
				osYield()
				if spins%(yieldEvery*goschedEvery) == yieldEvery*goschedEvery-1 {
					goruntime.Gosched()
				}
			}
			if spins&255 == 255 && (p.resting.Load() || time.Since(last) > spinWindow) {
				p.park(w)
				// A fresh spin window from the wake-up: a worker woken
				// after its job was taken must still be polling for the
				// next loop of the Run, not park again at once.
				spins, last = 0, time.Now()
			}
			gen, ok = p.pending()
		}
		p.runChunks(gen)
		last = time.Now()
	}
}

// park sleeps until a For or close wakes the worker. The sleeper count is
// raised before the last look for work and read by For after publishing,
// so a job published meanwhile is never missed.
func (p *workerPool) park(w *poolWorker) {
	p.sleepers.Add(1)
	if _, ok := p.pending(); !ok && !p.closed.Load() {
		w.wake.wait()
	}
	p.sleepers.Add(-1)
}

// runChunks runs the chunks of job gen this worker manages to claim.
func (p *workerPool) runChunks(gen uint64) {
	// The fields are read before the claim: a successful claim of
	// generation gen proves they were gen's (they were written before gen
	// was published, and a newer job is only published after every chunk
	// of gen has finished, which the claimed chunk has not).
	fn, _ := p.fn.Load().(func(lo, hi int))
	n, size := int(p.n.Load()), int(p.size.Load())
	for {
		i, chunks, ok := p.take(gen)
		if !ok {
			return
		}
		lo := i * size
		p.runOne(fn, lo, min(lo+size, n))
		if p.done.Add(1) == int64(chunks) && p.joinWait.CompareAndSwap(true, false) {
			p.joined.signal()
		}
	}
}

func (p *workerPool) runOne(fn func(lo, hi int), lo, hi int) {
	defer func() {
		if r := recover(); r != nil {
			p.panicked.CompareAndSwap(nil, &poolPanic{r})
		}
	}()
	fn(lo, hi)
}

func (p *workerPool) close() {
	p.once.Do(func() {
		p.closed.Store(true)
		p.wakeAll()
	})
}
