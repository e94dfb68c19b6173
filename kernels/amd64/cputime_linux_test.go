package amd64

import "golang.org/x/sys/unix"

// threadCPU returns the calling OS thread's CPU time in ns (benchmarks on a
// shared machine report GFLOPS per CPU second, not per wall second).
func threadCPU() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return ts.Nano()
}
