package runtime

import "syscall"

// osYield offers the calling OS thread's core to another runnable thread
// (sched_yield). runtime.Gosched only switches goroutines: the thread
// stays on its core, so a polling worker woken onto the caller's core
// (the kernel places a woken thread next to its waker when no core is
// idle) would hold the caller off that core until its time slice ends.
func osYield() {
	syscall.Syscall(syscall.SYS_SCHED_YIELD, 0, 0, 0)
}
