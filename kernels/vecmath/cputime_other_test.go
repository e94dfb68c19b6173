//go:build !linux

package vecmath

// threadCPU returns 0 off Linux (no per-thread CPU clock used there).
func threadCPU() int64 { return 0 }
