//go:build !noasm

package amd64

// HalfToFloat32AVX512 widens src (binary16) into dst with VCVTPH2PS,
// 64 values per step. Its math is HalfToFloat32Go; len(src) must be a
// multiple of 16 and dst at least as long.
//
//go:noescape
func HalfToFloat32AVX512(dst []float32, src []uint16)

// Float32ToHalfAVX512 rounds src into dst (binary16) with VCVTPS2PH,
// round to nearest even, 64 values per step. Its math is
// Float32ToHalfGo; len(src) must be a multiple of 16 and dst at least as
// long.
//
//go:noescape
func Float32ToHalfAVX512(dst []uint16, src []float32)

// HalfToFloat32AVX2 is HalfToFloat32AVX512 with F16C on 8-lane
// registers; len(src) must be a multiple of 8.
//
//go:noescape
func HalfToFloat32AVX2(dst []float32, src []uint16)

// Float32ToHalfAVX2 is Float32ToHalfAVX512 with F16C on 8-lane
// registers; len(src) must be a multiple of 8.
//
//go:noescape
func Float32ToHalfAVX2(dst []uint16, src []float32)
