package runtime

import (
	"math"
	"syscall"
)

// systemMemory returns the machine's physical memory and the process's
// address-space limit in bytes (0 when unknown or unlimited).
func systemMemory() (phys, addrLimit int64) {
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) == nil {
		total := uint64(si.Totalram) * uint64(si.Unit)
		phys = int64(min(total, math.MaxInt64))
	}
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_AS, &rl) == nil && rl.Cur < math.MaxInt64 /* not RLIM_INFINITY */ {
		addrLimit = int64(rl.Cur)
	}
	return phys, addrLimit
}
