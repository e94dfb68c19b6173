package sgemm

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/nncc/nncc/kernels/amd64"
)

// slice is one timed run of the FMA peak loop on one thread.
type slice struct {
	start, end time.Time
	cpu        time.Duration
}

// TestPeakTwoThreads (NNCC_TUNE=1) measures whether the two vCPUs have
// FMA units of their own: it runs the AVX-512 and AVX2 peak loops on one
// thread, then on two at once, and reports the per-thread rate over the
// slices in which both threads held their CPU for the whole slice (so
// the other thread was certainly running FMAs at the same time).
func TestPeakTwoThreads(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	for _, loop := range []struct {
		name  string
		fn    func(int)
		flops float64
	}{{"avx512", amd64.FMAPeakAVX512, 768}, {"avx2", amd64.FMAPeakAVX2, 192}} {
		const n = 1 << 14 // about 50-100 µs per slice
		run := func(threads int) [][]slice {
			out := make([][]slice, threads)
			var wg sync.WaitGroup
			for th := range threads {
				wg.Add(1)
				go func() {
					defer wg.Done()
					runtime.LockOSThread()
					defer runtime.UnlockOSThread()
					deadline := time.Now().Add(2 * time.Second)
					for time.Now().Before(deadline) {
						t0, c0 := time.Now(), threadCPU()
						loop.fn(n)
						out[th] = append(out[th], slice{t0, time.Now(), threadCPU() - c0})
					}
				}()
			}
			wg.Wait()
			return out
		}
		full := func(s slice) bool { return s.cpu > 0 && float64(s.cpu) >= 0.95*float64(s.end.Sub(s.start)) }
		rate := func(s slice) float64 { return float64(n) * loop.flops / s.end.Sub(s.start).Seconds() / 1e9 }
		stats := func(v []float64) string {
			if len(v) == 0 {
				return "no slices"
			}
			sort.Float64s(v)
			return fmt.Sprintf("median %.1f, p90 %.1f GFLOPS over %d slices", v[len(v)/2], v[len(v)*9/10], len(v))
		}
		var one []float64
		for _, s := range run(1)[0] {
			if full(s) {
				one = append(one, rate(s))
			}
		}
		two := run(2)
		var both []float64
		j := 0
		for _, s := range two[0] {
			if !full(s) {
				continue
			}
			for j < len(two[1]) && two[1][j].end.Before(s.start) {
				j++
			}
			// The other thread's fully-running slices must cover s (gaps
			// between its slices are the few ns of reading the clocks).
			covered, at := true, s.start
			for i := j; i < len(two[1]) && two[1][i].start.Before(s.end); i++ {
				o := two[1][i]
				if !full(o) || o.start.Sub(at) > 2*time.Microsecond {
					covered = false
					break
				}
				at = o.end
			}
			if covered && !at.Before(s.end) {
				both = append(both, rate(s))
			}
		}
		fmt.Printf("%s: one thread %s; each of two concurrent threads %s\n", loop.name, stats(one), stats(both))
	}
}
