//go:build !amd64

package kernels

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// nchwcResizeLinearRow returns the 16-channel bilinear row kernel: without
// amd64 assembly, the Go twin.
func nchwcResizeLinearRow(isa.Level) func(dst, r0, r1 []float32, ix []int32, wx []float32, wy0, wy1 float32) {
	return amd64.NCHWcResizeLinearRowGo
}

// nchwcLaneCopy returns the 16-lane channel-shifting copy of ConcatNCHWc:
// the Go twin.
func nchwcLaneCopy(isa.Level) func(dst, src []float32, lo, hi, shift int) {
	return amd64.NCHWcLaneCopyGo
}

// nchwcGather is amd64.NCHWcGatherGo (no assembly here).
func nchwcGather(_ bool, dst, src []float32, idx *[16]int32, lanes int) {
	amd64.NCHWcGatherGo(dst, src, idx, lanes)
}
