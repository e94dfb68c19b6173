package recycle

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

func TestGetPut(t *testing.T) {
	var p Pool
	if v := p.Get(); v != nil {
		t.Fatalf("empty pool without New: Get = %v, want nil", v)
	}
	made := 0
	p.New = func() any { made++; return new(int) }
	a, b := p.Get().(*int), p.Get().(*int)
	if a == b || made != 2 {
		t.Fatalf("two Gets from an empty pool: same value %v or New called %d times, want 2", a == b, made)
	}
	p.Put(a)
	p.Put(nil)
	p.Put(b)
	if got := p.Get().(*int); got != b {
		t.Fatal("Get did not return the value put last")
	}
	if got := p.Get().(*int); got != a {
		t.Fatal("second Get did not return the value put first")
	}
	if p.Get(); made != 3 {
		t.Fatalf("Get from the emptied pool called New %d times in all, want 3", made)
	}
}

// TestNoValueLostAcrossGoroutines takes values on one goroutine and puts
// them back on another, at GOMAXPROCS 2 or more, so that the two often run
// on different processors: a Get needs New only while fewer values exist
// than have been out at once (a
// sync.Pool gives no such guarantee: a value put back into one processor's
// private slot is not seen from another). At most inFlight+2 values are
// ever out at once (the channel's, the one being put back, the one being
// sent), so no more may ever be made.
func TestNoValueLostAcrossGoroutines(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0))))
	var made atomic.Int64
	p := Pool{New: func() any { made.Add(1); return new([64]byte) }}
	const rounds, inFlight = 1000, 4
	round := func() {
		handoff := make(chan any, inFlight)
		done := make(chan struct{})
		go func() {
			for v := range handoff {
				p.Put(v)
				runtime.Gosched()
			}
			close(done)
		}()
		for range rounds {
			handoff <- p.Get()
		}
		close(handoff)
		<-done
	}
	for range 4 {
		round()
	}
	if n := made.Load(); n > inFlight+2 {
		t.Fatalf("New made %d values, more than the %d that can be out at once", n, inFlight+2)
	}
}

func TestConcurrent(t *testing.T) {
	p := Pool{New: func() any { return new(int) }}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				v := p.Get().(*int)
				*v = g*1000 + i
				if *v != g*1000+i {
					t.Error("a value was shared between two Gets")
				}
				p.Put(v)
			}
		}()
	}
	wg.Wait()
	if n := len(p.free); n > 8 {
		t.Fatalf("pool holds %d values after 8 goroutines each held one at a time, want at most 8", n)
	}
}
