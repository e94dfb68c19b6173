//go:build unix

package kernels

import "syscall"

// processCPU returns the CPU time the process has used, in nanoseconds
// (user and system): benchmarks on a shared machine divide work by it,
// which time taken by other processes does not inflate.
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
