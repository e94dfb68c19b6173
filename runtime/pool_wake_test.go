package runtime

import (
	goruntime "runtime"
	"sync/atomic"
	"testing"
	"time"
)

// TestWakeupTokens checks the semaphore's contract: a signal before the
// wait is kept (two are one), a wait without a token sleeps until a
// signal, and a long ping-pong between two goroutines loses no wake-up.
func TestWakeupTokens(t *testing.T) {
	var w wakeup
	w.signal()
	w.signal()
	w.wait() // the kept token: returns at once

	done := make(chan struct{})
	go func() { w.wait(); close(done) }()
	select {
	case <-done:
		t.Fatal("wait returned without a token (two signals left two tokens)")
	case <-time.After(20 * time.Millisecond):
	}
	w.signal()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a sleeping wait was not woken by signal")
	}

	var ping, pong wakeup
	const rounds = 20000
	go func() {
		for range rounds {
			ping.wait()
			pong.signal()
		}
	}()
	deadline := time.AfterFunc(30*time.Second, func() { panic("ping-pong lost a wake-up") })
	defer deadline.Stop()
	for range rounds {
		ping.signal()
		pong.wait()
	}
}

// TestDroppedSessionStopsItsWorkers: sessions dropped without Close stop
// their parked workers once collected (each would otherwise keep an OS
// thread waiting in the kernel for the life of the process).
func TestDroppedSessionStopsItsWorkers(t *testing.T) {
	workers := min(3, goruntime.GOMAXPROCS(0)) - 1 // per session (newSessionPool)
	if workers == 0 {
		t.Skip("GOMAXPROCS 1: sessions start no workers")
	}
	base := goruntime.NumGoroutine()
	var kept []*Session
	for range 20 {
		s, err := Load("../testdata/models/cnn", Options{Threads: 3})
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, s)
	}
	if n := goruntime.NumGoroutine(); n < base+15*workers {
		t.Fatalf("%d goroutines with 20 sessions of %d workers, want at least %d", n, workers, base+15*workers)
	}
	goruntime.KeepAlive(kept)
	kept = nil
	deadline := time.Now().Add(10 * time.Second)
	for goruntime.NumGoroutine() > base+2 {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines 10 s after dropping the sessions, %d before making them", goruntime.NumGoroutine(), base)
		}
		goruntime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSessionPoolWorkersFitGOMAXPROCS: a session asking for more threads
// than Go runs at once splits its loops for all of them but starts only
// GOMAXPROCS − 1 workers, and its loops still cover every index once.
func TestSessionPoolWorkersFitGOMAXPROCS(t *testing.T) {
	defer goruntime.GOMAXPROCS(goruntime.GOMAXPROCS(2))
	p := newSessionPool(8)
	defer p.close()
	if p.Threads() != 8 || len(p.workers) != 1 {
		t.Fatalf("Threads %d with %d workers, want 8 with 1", p.Threads(), len(p.workers))
	}
	for n := 1; n <= 40; n++ {
		hits := make([]int32, n)
		p.For(n, 1, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				atomic.AddInt32(&hits[i], 1)
			}
		})
		for i, h := range hits {
			if h != 1 {
				t.Fatalf("n=%d: index %d ran %d times", n, i, h)
			}
		}
	}
}
