package kbench

import (
	"runtime"
	"time"
)

// peakOne measures one core's FMA peak with the peak loop fn (flops FLOPs
// per round): the best rate over slices of about 2 ms of wall time run for
// about d, counting only the slices during which the thread held its CPU
// (peakSlice.onCPU). isa.PeakGFLOPS times every slice in wall time, so on
// a loaded machine, where every slice may be cut by another process (a
// session-6 run at load average 16 on two vCPUs measured the AVX2 peak at
// 51 GFLOPS against 114-118 in the runs before and after, and reported
// SGEMM at 175% of it), it can report a fraction of the peak. When no
// slice held its CPU, the best rate in thread CPU time is used.
func peakOne(fn func(int), flops float64, d time.Duration) float64 {
	n := sliceRounds(fn, 2*time.Millisecond) // peak2.go
	perSlice := float64(n) * flops
	best, bestCPU := 0.0, 0.0
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	deadline := time.Now().Add(d)
	for i := 0; i < 3 || time.Now().Before(deadline); i++ { // at least three slices
		t0, c0 := time.Now(), threadCPU()
		fn(n)
		s := peakSlice{t0, time.Now(), threadCPU() - c0}
		if s.onCPU() {
			best = max(best, perSlice/s.end.Sub(s.start).Seconds()/1e9)
		}
		if s.cpu > 0 {
			bestCPU = max(bestCPU, perSlice/s.cpu.Seconds()/1e9)
		}
	}
	if best == 0 {
		return bestCPU
	}
	return best
}
