package runtime

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestPoolCoversRange checks that For runs every index exactly once, for
// sizes around the chunk boundaries, and that nested and concurrent calls
// (which run inline) complete.
func TestPoolCoversRange(t *testing.T) {
	p := newWorkerPool(3)
	defer p.close()
	for n := 0; n < 70; n++ {
		for _, grain := range []int{1, 2, 7, 100} {
			hits := make([]int32, n)
			p.For(n, grain, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					atomic.AddInt32(&hits[i], 1)
				}
			})
			for i, h := range hits {
				if h != 1 {
					t.Fatalf("n=%d grain=%d: index %d ran %d times", n, grain, i, h)
				}
			}
		}
	}
	var total atomic.Int64
	p.For(8, 1, func(lo, hi int) {
		p.For(10, 1, func(a, b int) { total.Add(int64(b - a)) })
	})
	// Three outer chunks (one per thread), each running the whole inner
	// loop inline.
	if total.Load() != 3*10 {
		t.Fatalf("nested loops covered %d, want 30", total.Load())
	}
}

// TestPoolPanicReachesCaller checks that a panic in a chunk run by a
// worker is raised on the caller and leaves the pool usable.
func TestPoolPanicReachesCaller(t *testing.T) {
	p := newWorkerPool(2)
	defer p.close()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("no panic")
			}
		}()
		p.For(2, 1, func(lo, hi int) {
			if lo == 1 {
				panic("boom")
			}
		})
	}()
	var n atomic.Int64
	p.For(100, 1, func(lo, hi int) { n.Add(int64(hi - lo)) })
	if n.Load() != 100 {
		t.Fatalf("after a panic: covered %d of 100", n.Load())
	}
}

// BenchmarkPoolFor measures the hand-off of a near-empty loop to the pool.
func BenchmarkPoolFor(b *testing.B) {
	p := newWorkerPool(2)
	defer p.close()
	var sink atomic.Int64
	fn := func(lo, hi int) { sink.Add(int64(hi - lo)) }
	b.ReportAllocs()
	for b.Loop() {
		p.For(2, 1, fn)
	}
}

// TestPoolStaleClaim stresses the hand-over between jobs of different
// chunk counts: a worker still holding the previous job's generation must
// not claim a chunk of the job being published (which ran that chunk
// twice and let the caller return before the job had finished).
func TestPoolStaleClaim(t *testing.T) {
	p := newWorkerPool(3)
	defer p.close()
	hits := make([]int32, 3)
	for iter := 0; iter < 20000; iter++ {
		n := 2 + iter%2 // two chunks, then three
		clear(hits)
		p.For(n, 1, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				atomic.AddInt32(&hits[i], 1)
			}
		})
		for i := range n {
			if h := atomic.LoadInt32(&hits[i]); h != 1 {
				t.Fatalf("iteration %d, n=%d: index %d ran %d times", iter, n, i, h)
			}
		}
	}
}

// TestPoolWokenWorkerSpins checks that a worker woken by prime (the start
// of a Run) keeps polling for a while instead of parking again at once: a
// worker that re-parked within a microsecond of waking missed every small
// loop of a Run. The machine may deschedule the worker for longer than the
// spin window, so one trial of 200 staying awake is enough.
func TestPoolWokenWorkerSpins(t *testing.T) {
	p := newWorkerPool(2)
	defer p.close()
	waitFor := func(cond func() bool) bool {
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); {
			if cond() {
				return true
			}
			time.Sleep(50 * time.Microsecond)
		}
		return false
	}
	for trial := 0; trial < 200; trial++ { // many trials: on a loaded machine the woken worker may be descheduled past its window
		if !waitFor(func() bool { return p.sleepers.Load() == 1 }) {
			t.Fatal("the idle worker never parked")
		}
		p.prime()
		if !waitFor(func() bool { return p.sleepers.Load() == 0 }) {
			continue // not scheduled in time: try again
		}
		t0 := time.Now()
		for time.Since(t0) < spinWindow/4 && p.sleepers.Load() == 0 {
		}
		if p.sleepers.Load() == 0 {
			return
		}
	}
	t.Fatal("a woken worker parked again within a quarter of the spin window in every trial")
}
