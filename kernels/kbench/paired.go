package kbench

import (
	"runtime"
	"time"
)

// Paired peak
//
// peak_gflops is the best 2 ms slice of the FMA peak loop (peakOne),
// while a kernel's gflops is the median of samples of CPU time. On a
// shared VM the two are not alike: CPU time still counts the cycles lost
// to a busy sibling hyperthread on the host, a lower clock, or caches
// refilled after another process ran, and the median keeps them while the
// best slice drops them. (On the session-5 VM under load, the peak loop
// itself timed like SGEMM, median of 13 ms calls in thread CPU time, ran
// at 89-97% of its best slice.) The paired figure times both the same way
// at the same moments: after each sample of the kernel, the peak loop
// runs the same FLOPs on the same thread, and the figure is the median
// over samples of the kernel's rate over the loop's. (Session 6 tried
// chunks of about 10 ms of calls, each followed by the loop, instead of
// whole samples: over eight alternating runs on the loaded VM the spread
// and the median were alike, TestTunePairing, so samples stay whole.)
// It leaves peak_gflops and gflops as they are and is reported beside
// them.
//
// Paired speed-up
//
// The same holds for the ratio of a two-thread row to the one-thread row,
// measured minutes apart: paired_vs_one_thread is the median over samples
// of the rate on the pool over the rate of the same product on one
// thread, chunks of calls alternating, both in process CPU time (divided
// by the threads for the pool).

// pairChunk is the CPU time of the calls on the pool timed together
// between two runs of the product on one thread (measureSpeedup).
const pairChunk = 10 * time.Millisecond

// chunks returns how many calls of one CPU time make up about pairChunk,
// and reps rounded up to whole chunks.
func chunks(one time.Duration, reps int) (per, total int) {
	per = max(1, int(pairChunk/one))
	return per, (reps + per - 1) / per * per
}

// measurePaired is Measure for one thread (thread CPU time, samples of at
// least minTime, median) that also runs loop (loopFlops FLOPs per round)
// after each sample for the sample's flops FLOPs. It returns the
// median seconds per call and the median ratio of the call's rate to the
// loop's.
func measurePaired(f func(), flops float64, loop func(int), loopFlops float64, minTime time.Duration, samples int) (sec, ratio float64) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	f() // warm up: caches, page faults, packing buffers
	t0 := threadCPU()
	f()
	one := max(threadCPU()-t0, time.Microsecond)
	reps := max(1, int(minTime/one))
	rounds := max(1, int(float64(reps)*flops/loopFlops))
	secs := make([]float64, samples)
	ratios := make([]float64, samples)
	for i := range secs {
		t0 := threadCPU()
		for range reps {
			f()
		}
		el := (threadCPU() - t0).Seconds() / float64(reps)
		t0 = threadCPU()
		loop(rounds)
		pl := (threadCPU() - t0).Seconds()
		secs[i] = el
		if el > 0 && pl > 0 {
			ratios[i] = (flops / el) / (float64(rounds) * loopFlops / pl)
		}
	}
	return median(secs), median(ratios)
}

// measureSpeedup is Measure for threads > 1 (process CPU time per
// thread, samples of at least minTime, median) that also runs single, the
// same work on one thread, as many times after each chunk of calls of f.
// It returns the median seconds per call of f and the median over
// samples of f's rate per thread-second over single's.
func measureSpeedup(f, single func(), threads int, minTime time.Duration, samples int) (sec, speedup float64) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	f() // warm up
	single()
	t0 := processCPU()
	f()
	one := max((processCPU()-t0)/time.Duration(threads), time.Microsecond)
	per, reps := chunks(one, max(1, int(minTime/one)))
	secs := make([]float64, samples)
	ratios := make([]float64, samples)
	for i := range secs {
		var el, sl time.Duration
		for range reps / per {
			t0 := processCPU()
			for range per {
				f()
			}
			t1 := processCPU()
			for range per {
				single()
			}
			el += t1 - t0
			sl += processCPU() - t1
		}
		secs[i] = el.Seconds() / float64(threads) / float64(reps)
		if el > 0 && sl > 0 {
			ratios[i] = sl.Seconds() / (el.Seconds() / float64(threads))
		}
	}
	return median(secs), median(ratios)
}
