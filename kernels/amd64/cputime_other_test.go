//go:build !linux

package amd64

// threadCPU returns 0 where the thread's CPU time is not read (benchmarks
// then report wall-time GFLOPS only).
func threadCPU() int64 { return 0 }
