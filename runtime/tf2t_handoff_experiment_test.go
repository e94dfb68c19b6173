package runtime

import (
	"os"
	"sort"
	"sync/atomic"
	"testing"
	"time"
)

// TEMPORARY tf2t experiment: hand-off latency of the pool.
func TestTf2tHandoff(t *testing.T) {
	if os.Getenv("NNCC_TF2T") == "" {
		t.Skip()
	}
	p := newWorkerPool(2)
	defer p.close()
	base := time.Now()
	for _, sc := range []struct {
		name  string
		gap   time.Duration
		prime time.Duration
	}{{"spinning", 5 * time.Microsecond, 0}, {"parked", 400 * time.Microsecond, 0}, {"primed 20us before", 400 * time.Microsecond, 20 * time.Microsecond}, {"primed 50us before", 400 * time.Microsecond, 50 * time.Microsecond}} {
		var lat []time.Duration
		missed := 0
		for r := 0; r < 300; r++ {
			spinUntil(time.Now().Add(sc.gap - sc.prime))
			if sc.prime > 0 {
				p.prime()
				spinUntil(time.Now().Add(sc.prime))
			}
			var callerStart atomic.Int64
			var other atomic.Int64
			var pub = time.Since(base)
			var first atomic.Bool
			p.For(2, 1, func(lo, hi int) {
				now := time.Since(base)
				if first.CompareAndSwap(false, true) {
					callerStart.Store(int64(now))
				} else {
					other.Store(int64(now))
				}
				spinUntil(time.Now().Add(30 * time.Microsecond))
			})
			// the caller's chunk is the first one claimed (it claims right after publishing)
			o := other.Load()
			if o == 0 || time.Duration(o)-pub > 30*time.Microsecond {
				missed++
				continue
			}
			lat = append(lat, time.Duration(o)-pub)
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		if len(lat) > 0 {
			t.Logf("%-22s worker joined in %d/300, latency median %v p90 %v", sc.name, len(lat), lat[len(lat)/2], lat[len(lat)*9/10])
		} else {
			t.Logf("%-22s worker never joined", sc.name)
		}
	}
}

func spinUntil(t time.Time) {
	for time.Now().Before(t) {
	}
}

func TestTf2tJoinWake(t *testing.T) {
	if os.Getenv("NNCC_TF2T") == "" {
		t.Skip()
	}
	p := newWorkerPool(2)
	defer p.close()
	base := time.Now()
	for round := 0; round < 3; round++ {
		for _, y := range []bool{false, true} {
			_ = y
			var lat []time.Duration
			for r := 0; r < 200; r++ {
				var first atomic.Bool
				var end atomic.Int64
				var started atomic.Bool
				p.For(2, 1, func(lo, hi int) {
					if first.CompareAndSwap(false, true) {
						// the first claimer: wait until the other chunk has started
						for d := time.Now().Add(2 * time.Millisecond); !started.Load() && time.Now().Before(d); {
						}
						return
					}
					started.Store(true)
					spinUntil(time.Now().Add(120 * time.Microsecond))
					end.Store(int64(time.Since(base)))
				})
				back := time.Since(base)
				if e := end.Load(); e > 0 {
					lat = append(lat, back-time.Duration(e))
				}
				spinUntil(time.Now().Add(20 * time.Microsecond))
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			if len(lat) > 0 {
				t.Logf("yield %v: %d samples, caller resumes after the worker's end: median %v p90 %v", y, len(lat), lat[len(lat)/2], lat[len(lat)*9/10])
			}
		}
	}
}
