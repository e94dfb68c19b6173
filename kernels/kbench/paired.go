package kbench

import (
	"runtime"
	"time"
)

// Paired peak
//
// peak_gflops is the best 2 ms slice of the FMA peak loop (isa.PeakGFLOPS),
// while a kernel's gflops is the median of samples of CPU time. On a
// shared VM the two are not alike: CPU time still counts the cycles lost
// to a busy sibling hyperthread on the host, a lower clock, or caches
// refilled after another process ran, and the median keeps them while the
// best slice drops them. (On the session-5 VM under load, the peak loop
// itself timed like SGEMM, median of 13 ms calls in thread CPU time, ran
// at 89-97% of its best slice.) The paired figure times both the same way
// at the same moments: after each sample of the kernel, the peak loop runs
// the same FLOPs on the same thread, and the figure is the median over
// samples of the kernel's rate over the loop's. It leaves peak_gflops and
// gflops as they are and is reported beside them.

// measurePaired is Measure for one thread (thread CPU time, samples of at
// least minTime, median) that also runs loop (loopFlops FLOPs per round)
// after each sample for the sample's flops FLOPs per call. It returns the
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
