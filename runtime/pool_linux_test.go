package runtime

import (
	goruntime "runtime"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestPoolJoinBlocks checks that a For whose last chunk runs long on a
// worker blocks instead of polling: the caller's thread uses little CPU
// while it waits, so that a descheduled worker can have its core. The
// caller's own thread is recognised by its id; trials in which no worker
// took a chunk (descheduled on a busy machine) are retried.
func TestPoolJoinBlocks(t *testing.T) {
	p := newWorkerPool(2)
	defer p.close()
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	caller := unix.Gettid()
	cpu := func() time.Duration {
		var ts unix.Timespec
		unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
		return time.Duration(ts.Nano())
	}
	const nap = 20 * time.Millisecond
	for trial := 0; trial < 50; trial++ {
		p.prime()
		var onWorker atomic.Bool
		var covered atomic.Int64
		c0, w0 := cpu(), time.Now()
		p.For(2, 1, func(lo, hi int) {
			if unix.Gettid() != caller {
				onWorker.Store(true)
				time.Sleep(nap)
			}
			covered.Add(int64(hi - lo))
		})
		used, wall := cpu()-c0, time.Since(w0)
		if covered.Load() != 2 {
			t.Fatalf("covered %d of 2", covered.Load())
		}
		if !onWorker.Load() {
			continue
		}
		if wall < nap {
			t.Fatalf("For returned after %v, before its worker chunk (%v) finished", wall, nap)
		}
		if used > nap/4 {
			t.Fatalf("the caller used %v of CPU waiting %v for a worker chunk: it polled instead of blocking", used, wall)
		}
		return
	}
	t.Skip("no worker took a chunk in 50 trials (busy machine)")
}

// TestPoolRestParks checks that rest makes polling workers park well
// before their spin window ends, and that the next For still uses them.
// The sleeper count lags a worker woken by the For's prime: the worker
// lowers it only once it runs, which on a busy machine (or under -race)
// can be after rest, so both workers count as parked only when the count
// holds for a millisecond.
func TestPoolRestParks(t *testing.T) {
	p := newWorkerPool(3)
	defer p.close()
	var n atomic.Int64
	parked := func() bool {
		if p.sleepers.Load() < 2 {
			return false
		}
		time.Sleep(time.Millisecond)
		return p.sleepers.Load() >= 2
	}
	for trial := 0; trial < 100; trial++ {
		p.For(3, 1, func(lo, hi int) { n.Add(int64(hi - lo)) })
		p.rest()
		deadline := time.Now().Add(time.Second)
		for !parked() && time.Now().Before(deadline) {
			time.Sleep(20 * time.Microsecond)
		}
		if p.sleepers.Load() < 2 {
			t.Fatalf("trial %d: %d of 2 workers parked a second after rest", trial, p.sleepers.Load())
		}
	}
	if n.Load() != 300 {
		t.Fatalf("covered %d of 300", n.Load())
	}
	// Woken by prime, the workers poll again (rest is lifted).
	p.prime()
	if p.resting.Load() {
		t.Fatal("prime left the pool resting")
	}
}
