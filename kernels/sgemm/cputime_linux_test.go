package sgemm

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU returns the CPU time consumed by the calling OS thread. On a
// loaded machine it measures single-thread speed without counting the time
// other processes held the core.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// onThreadCPU runs f n times on a locked OS thread and returns the thread
// CPU time per call.
func onThreadCPU(n int, f func()) time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0 := threadCPU()
	for range n {
		f()
	}
	return (threadCPU() - t0) / time.Duration(n)
}

// processCPU returns the CPU time consumed by the whole process (all
// threads): with a pool that blocks instead of spinning, work per CPU
// second shows the threading overhead without counting other processes.
func processCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
