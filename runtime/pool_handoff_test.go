package runtime

import (
	"os"
	"sort"
	"sync/atomic"
	"testing"
	"time"
)

// TestPoolHandoffLatency is a measuring tool, not a check: with
// NNCC_HANDOFF set it measures on a two-thread pool how long after a loop
// is published the worker starts a chunk (polling, parked, or woken by
// prime shortly before), and how long after a worker ends the last chunk a
// caller blocked in join resumes. These are the costs a parallel kernel's
// threshold must pay back (kernels/sgemm/split.go). Without the variable
// it is skipped.
//
//	NNCC_HANDOFF=1 go test ./runtime -run TestPoolHandoffLatency -v
func TestPoolHandoffLatency(t *testing.T) {
	if os.Getenv("NNCC_HANDOFF") == "" {
		t.Skip("set NNCC_HANDOFF=1 to measure the pool's hand-off latencies")
	}
	const runs = 300
	p := newWorkerPool(2)
	defer p.close()
	base := time.Now()
	for _, sc := range []struct {
		name       string
		gap, prime time.Duration
	}{
		{"polling", 5 * time.Microsecond, 0},
		{"parked", 400 * time.Microsecond, 0},
		{"primed 20µs before", 400 * time.Microsecond, 20 * time.Microsecond},
	} {
		var lat []time.Duration
		for range runs {
			spinFor(sc.gap - sc.prime)
			if sc.prime > 0 {
				p.prime()
				spinFor(sc.prime)
			}
			var first, started atomic.Bool
			var other atomic.Int64
			pub := time.Since(base)
			p.For(2, 1, func(lo, hi int) {
				if first.CompareAndSwap(false, true) {
					// The first claimer waits (up to 100 µs) for the
					// other chunk to start elsewhere.
					for d := time.Now().Add(100 * time.Microsecond); !started.Load() && time.Now().Before(d); {
					}
					return
				}
				started.Store(true)
				other.Store(int64(time.Since(base)))
			})
			if o := time.Duration(other.Load()); o > 0 && o-pub < 100*time.Microsecond {
				lat = append(lat, o-pub)
			}
		}
		report(t, sc.name+": second chunk starts", lat, runs)
	}
	var lat []time.Duration
	for range runs {
		var first, started atomic.Bool
		var end atomic.Int64
		p.For(2, 1, func(lo, hi int) {
			if first.CompareAndSwap(false, true) {
				for d := time.Now().Add(2 * time.Millisecond); !started.Load() && time.Now().Before(d); {
				}
				return
			}
			started.Store(true)
			spinFor(2 * joinSpinMax) // the caller blocks in join
			end.Store(int64(time.Since(base)))
		})
		back := time.Since(base)
		if e := end.Load(); e > 0 {
			lat = append(lat, back-time.Duration(e))
		}
		spinFor(20 * time.Microsecond)
	}
	report(t, "blocked caller resumes", lat, runs)
}

func report(t *testing.T, what string, lat []time.Duration, runs int) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) == 0 {
		t.Logf("%-40s never (0/%d)", what, runs)
		return
	}
	t.Logf("%-40s in %3d/%d: median %v, p90 %v", what, len(lat), runs, lat[len(lat)/2], lat[len(lat)*9/10])
}

func spinFor(d time.Duration) {
	for t := time.Now().Add(d); time.Now().Before(t); {
	}
}
