//go:build !unix

package kernels

// processCPU returns 0: no process CPU clock here (the benchmarks then
// report wall time only).
func processCPU() int64 { return 0 }
