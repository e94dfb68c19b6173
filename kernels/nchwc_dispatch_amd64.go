package kernels

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// nchwcConvMicroKernel returns the NCHWc convolution micro-kernel for ISA
// level l (the level a plan is built for): the AVX-512 assembly, or its Go
// twin on every other level.
func nchwcConvMicroKernel(l isa.Level) func(*amd64.NCHWcConvArgs) {
	if l == isa.AVX512 {
		return amd64.NCHWcConvAVX512
	}
	return amd64.NCHWcConvGo
}

// nchwcMaxPoolRow returns the NCHWc max-pooling row kernel for ISA level l.
func nchwcMaxPoolRow(l isa.Level) func(dst, src []float32, n, stride int, taps []int) {
	if l == isa.AVX512 {
		return amd64.NCHWcMaxPoolAVX512
	}
	return amd64.NCHWcMaxPoolGo
}

// nchwcDwKernel returns the NCHWc depthwise kernel for ISA level l.
func nchwcDwKernel(l isa.Level) func(*amd64.NCHWcDwArgs) {
	if l == isa.AVX512 {
		return amd64.NCHWcDwAVX512
	}
	return amd64.NCHWcDwGo
}

// nchwcClamp returns the in-place clamp for ISA level l.
func nchwcClamp(l isa.Level) func(x []float32, lo, hi float32) {
	if l == isa.AVX512 {
		return amd64.NCHWcClampAVX512
	}
	return amd64.NCHWcClampGo
}
