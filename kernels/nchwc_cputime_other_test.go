//go:build !linux

package kernels

// nchwcThreadCPU is not available here: 0.
func nchwcThreadCPU() int64 { return 0 }
