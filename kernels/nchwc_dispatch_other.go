//go:build !amd64

package kernels

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// nchwcConvMicroKernel returns the NCHWc convolution micro-kernel: without
// amd64 assembly, the Go twin.
func nchwcConvMicroKernel(isa.Level) func(*amd64.NCHWcConvArgs) { return amd64.NCHWcConvGo }

// nchwcMaxPoolRow returns the NCHWc max-pooling row kernel: the Go twin.
func nchwcMaxPoolRow(isa.Level) func(dst, src []float32, n, stride int, taps []int) {
	return amd64.NCHWcMaxPoolGo
}

// nchwcDwKernel returns the NCHWc depthwise kernel: the Go twin.
func nchwcDwKernel(isa.Level) func(*amd64.NCHWcDwArgs) { return amd64.NCHWcDwGo }

// nchwcClamp returns the in-place clamp: the Go twin.
func nchwcClamp(isa.Level) func(x []float32, lo, hi float32) { return amd64.NCHWcClampGo }
