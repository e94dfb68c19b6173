package winograd

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU returns the CPU time used by the calling OS thread, and
// processCPU that of all threads: on a loaded machine they measure the
// work done without counting the time other processes held the cores.
func threadCPU() time.Duration  { return clock(unix.CLOCK_THREAD_CPUTIME_ID) }
func processCPU() time.Duration { return clock(unix.CLOCK_PROCESS_CPUTIME_ID) }

func clock(id int32) time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(id, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
