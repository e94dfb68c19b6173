//go:build !linux

package runtime

// systemMemory returns 0, 0 (unknown) outside Linux: the default memory
// budget is then unknownMemoryBudget.
func systemMemory() (phys, addrLimit int64) { return 0, 0 }
