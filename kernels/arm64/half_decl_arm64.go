//go:build !noasm

package arm64

// HalfToFloat32NEON widens src (binary16) into dst with FCVTL/FCVTL2, 32
// values per step. Its math is HalfToFloat32Go; len(src) must be a
// multiple of 8 and dst at least as long.
//
//go:noescape
func HalfToFloat32NEON(dst []float32, src []uint16)

// Float32ToHalfNEON rounds src into dst (binary16) with FCVTN/FCVTN2,
// round to nearest even, 32 values per step. Its math is
// Float32ToHalfGo; len(src) must be a multiple of 8 and dst at least as
// long.
//
//go:noescape
func Float32ToHalfNEON(dst []uint16, src []float32)
