package amd64

import "math"

// HalfToFloat32Go is the twin of HalfToFloat32AVX512 and HalfToFloat32AVX2:
// for i < len(src), dst[i] is the binary16 value src[i] widened to
// float32, which is exact; a NaN keeps its sign and payload and comes out
// quiet (as VCVTPH2PS writes it: the float32 quiet bit set). dst must be
// at least as long as src.
func HalfToFloat32Go(dst []float32, src []uint16) {
	dst = dst[:len(src)]
	for i, h := range src {
		dst[i] = halfToFloat32(h)
	}
}

// Float32ToHalfGo is the twin of Float32ToHalfAVX512 and Float32ToHalfAVX2:
// for i < len(src), dst[i] is src[i] rounded to the nearest binary16
// value, ties to even (IEEE 754 round-to-nearest-even, including
// subnormal results and overflow to ±Inf); a NaN keeps its sign and the
// top 9 bits of its payload and comes out quiet (as VCVTPS2PH writes it).
// dst must be at least as long as src.
func Float32ToHalfGo(dst []uint16, src []float32) {
	dst = dst[:len(src)]
	for i, f := range src {
		dst[i] = float32ToHalf(f)
	}
}

func halfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	man := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f && man != 0: // NaN, made quiet
		return math.Float32frombits(sign | 0x7fc00000 | man<<13)
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000)
	case exp == 0:
		// Zero or subnormal: man · 2^-24, exact in float32.
		f := float32(man) * (1.0 / (1 << 24))
		return math.Float32frombits(sign | math.Float32bits(f))
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | man<<13)
}

func float32ToHalf(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xff
	man := b & 0x7fffff
	if exp == 0xff {
		if man != 0 { // NaN: quiet, top payload bits kept
			return sign | 0x7e00 | uint16(man>>13)
		}
		return sign | 0x7c00
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 {
		if e < -10 {
			return sign
		}
		m := man | 0x800000
		shift := uint32(14 - e)
		half := uint32(1) << (shift - 1)
		rest := m & (1<<shift - 1)
		r := m >> shift
		if rest > half || (rest == half && r&1 == 1) {
			r++
		}
		return sign | uint16(r)
	}
	r := uint32(e)<<10 | man>>13
	rest := man & 0x1fff
	if rest > 0x1000 || (rest == 0x1000 && r&1 == 1) {
		r++ // may carry into the exponent: the right answer, up to Inf
	}
	return sign | uint16(r)
}
