package kernels

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// nchwcResizeLinearRow returns the 16-channel bilinear row kernel for ISA
// level l: the AVX-512 assembly, or its Go twin on every other level.
func nchwcResizeLinearRow(l isa.Level) func(dst, r0, r1 []float32, ix []int32, wx []float32, wy0, wy1 float32) {
	if l == isa.AVX512 {
		return amd64.NCHWcResizeLinearRowAVX512
	}
	return amd64.NCHWcResizeLinearRowGo
}

// nchwcLaneCopy returns the 16-lane channel-shifting copy of ConcatNCHWc
// for ISA level l: the AVX-512 assembly, or its Go twin.
func nchwcLaneCopy(l isa.Level) func(dst, src []float32, lo, hi, shift int) {
	if l == isa.AVX512 {
		return amd64.NCHWcLaneCopyAVX512
	}
	return amd64.NCHWcLaneCopyGo
}

// nchwcGather is amd64.NCHWcGatherAVX512 when avx (a plan built for
// AVX-512), else its Go twin; a direct call, so idx does not escape.
func nchwcGather(avx bool, dst, src []float32, idx *[16]int32, lanes int) {
	if avx {
		amd64.NCHWcGatherAVX512(dst, src, idx, lanes)
		return
	}
	amd64.NCHWcGatherGo(dst, src, idx, lanes)
}
