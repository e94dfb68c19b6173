package kbench

import (
	"runtime"
	"sort"
	"sync"
	"time"
)

// peakSlice is one timed call of an FMA peak loop on one thread.
type peakSlice struct {
	start, end time.Time
	cpu        time.Duration // thread CPU time of the call
}

// onCPU reports whether the thread held its CPU for the whole slice.
func (s peakSlice) onCPU() bool {
	return s.cpu > 0 && float64(s.cpu) >= 0.95*float64(s.end.Sub(s.start))
}

// peakTwo measures the FMA peak loop fn (flops FLOPs per round) in
// slices (calls of about 100 µs) on one thread, then on two threads at
// once, each locked to its OS thread, alternating three times (d/3 alone,
// d together each time, so that a change of clock or load between the
// phases hits both). It returns the median GFLOPS of one thread alone over
// the slices that held their CPU, the median per-thread GFLOPS over the
// slices during which both threads certainly ran FMAs (each held its CPU
// for the whole slice, and the other's fully-running slices cover it), and
// how many such slices there were. each/one below 1 would show that cores
// share FMA units or drop their clock when both are busy.
func peakTwo(fn func(int), flops float64, d time.Duration) (one, each float64, slices int) {
	n := sliceRounds(fn, 100*time.Microsecond)
	perSlice := float64(n) * flops
	var solo, both []float64
	for range 3 {
		for _, s := range runSlices(fn, n, 1, d/3)[0] {
			if s.onCPU() {
				solo = append(solo, perSlice/s.end.Sub(s.start).Seconds()/1e9)
			}
		}
		two := runSlices(fn, n, 2, d)
		for th := range two {
			both = append(both, coveredRates(two[th], two[1-th], perSlice)...)
		}
	}
	return median(solo), median(both), len(both)
}

// sliceRounds calibrates a slice of fn: the rounds, doubled from 1024,
// of the first call that takes more than slice (or more than 2^30).
func sliceRounds(fn func(int), slice time.Duration) int {
	n := 1024
	for {
		t0 := time.Now()
		fn(n)
		if time.Since(t0) > slice || n > 1<<30 {
			return n
		}
		n *= 2
	}
}

// runSlices calls fn(n) repeatedly for about d on each of threads locked
// OS threads started together, and returns each thread's slices.
func runSlices(fn func(int), n, threads int, d time.Duration) [][]peakSlice {
	out := make([][]peakSlice, threads)
	var wg, ready sync.WaitGroup
	ready.Add(threads)
	for th := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			ready.Done()
			ready.Wait()
			deadline := time.Now().Add(d)
			for time.Now().Before(deadline) {
				t0, c0 := time.Now(), threadCPU()
				fn(n)
				out[th] = append(out[th], peakSlice{t0, time.Now(), threadCPU() - c0})
			}
		}()
	}
	wg.Wait()
	return out
}

// median returns the median of v (0 when empty); v is sorted in place.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	sort.Float64s(v)
	return v[len(v)/2]
}

// coveredRates returns the GFLOPS (flops per slice) of the slices of mine
// that held their CPU throughout and during which the other thread's
// slices, also holding their CPU, ran without a gap.
func coveredRates(mine, other []peakSlice, flops float64) []float64 {
	var rates []float64
	j := 0
	for _, s := range mine {
		if !s.onCPU() {
			continue
		}
		for j < len(other) && other[j].end.Before(s.start) {
			j++
		}
		covered, at := true, s.start
		for i := j; i < len(other) && other[i].start.Before(s.end); i++ {
			o := other[i]
			// Gaps between the other's slices are the few ns of reading
			// the clocks; a longer one means it was not running FMAs.
			if !o.onCPU() || o.start.Sub(at) > 2*time.Microsecond {
				covered = false
				break
			}
			at = o.end
		}
		if covered && !at.Before(s.end) {
			rates = append(rates, flops/s.end.Sub(s.start).Seconds()/1e9)
		}
	}
	return rates
}
