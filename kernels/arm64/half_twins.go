package arm64

import "github.com/nncc/nncc/ir"

// HalfToFloat32Go is the twin of HalfToFloat32NEON: for i < len(src),
// dst[i] is the binary16 value src[i] widened to float32, which is exact;
// a NaN keeps its sign and payload and comes out quiet (the float32 quiet
// bit set, as FCVTL writes it with FPCR.DN clear): ir.F16's Float32. dst
// must be at least as long as src.
func HalfToFloat32Go(dst []float32, src []uint16) {
	dst = dst[:len(src)]
	for i, h := range src {
		dst[i] = ir.F16(h).Float32()
	}
}

// Float32ToHalfGo is the twin of Float32ToHalfNEON: for i < len(src),
// dst[i] is src[i] rounded to the nearest binary16 value, ties to even
// (including subnormal results and overflow to ±Inf); a NaN keeps its
// sign and the top 9 bits of its payload and comes out quiet (as FCVTN
// writes it with FPCR.DN clear): ir.NewFloat16. dst must be at least as
// long as src.
func Float32ToHalfGo(dst []uint16, src []float32) {
	dst = dst[:len(src)]
	for i, f := range src {
		dst[i] = uint16(ir.NewFloat16(f))
	}
}
