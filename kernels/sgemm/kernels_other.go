//go:build !amd64 && !arm64

package sgemm

// archKernels is empty: other architectures use the portable kernel.
var archKernels []kernel
