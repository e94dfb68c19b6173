//go:build !noasm

package amd64

// MinMaxZeroAVX512 returns the least of 0 and x's elements and the
// greatest, NaNs skipped (its math is MinMaxZeroGo); len(x) must be a
// multiple of 16.
//
//go:noescape
func MinMaxZeroAVX512(x []float32) (lo, hi float32)

// QuantizeBytesAVX512 quantizes src into dst with VDIVPS, VMAXPS/VMINPS
// and VCVTPS2DQ rounding to nearest even (embedded rounding, whatever
// MXCSR says) and VPMOVDB; its math is QuantizeBytesGo. len(src) must be
// a multiple of 16 and dst at least as long.
//
//go:noescape
func QuantizeBytesAVX512(dst []uint8, src []float32, scale, lo, hi float32, zp int32)

// DequantizeU8AVX512 is DequantizeU8Go with VPMOVZXBD, VCVTDQ2PS, VSUBPS
// and VMULPS; len(src) must be a multiple of 16 and dst at least as long.
//
//go:noescape
func DequantizeU8AVX512(dst []float32, src []uint8, scale, zp float32)

// DequantizeS8AVX512 is DequantizeS8Go with VPMOVSXBD; len(src) must be
// a multiple of 16 and dst at least as long.
//
//go:noescape
func DequantizeS8AVX512(dst []float32, src []int8, scale, zp float32)

// MinMaxZeroAVX2 is MinMaxZeroAVX512 on 8-lane registers; len(x) must be
// a multiple of 8.
//
//go:noescape
func MinMaxZeroAVX2(x []float32) (lo, hi float32)

// QuantizeBytesAVX2 is QuantizeBytesAVX512 on 8-lane registers
// (VCVTPS2DQ rounds by MXCSR, which Go keeps at round to nearest even;
// the bytes are masked and packed); len(src) must be a multiple of 8.
//
//go:noescape
func QuantizeBytesAVX2(dst []uint8, src []float32, scale, lo, hi float32, zp int32)

// DequantizeU8AVX2 is DequantizeU8AVX512 on 8-lane registers; len(src)
// must be a multiple of 8.
//
//go:noescape
func DequantizeU8AVX2(dst []float32, src []uint8, scale, zp float32)

// DequantizeS8AVX2 is DequantizeS8AVX512 on 8-lane registers; len(src)
// must be a multiple of 8.
//
//go:noescape
func DequantizeS8AVX2(dst []float32, src []int8, scale, zp float32)

// FakeQuantAVX512 is FakeQuantGo with VDIVPS, VMAXPS/VMINPS, VCVTPS2DQ
// (embedded round to nearest even), VCVTDQ2PS and VMULPS; len(src) must
// be a multiple of 16 and dst at least as long.
//
//go:noescape
func FakeQuantAVX512(dst, src []float32, scale, lo, hi float32)

// FakeQuantAVX2 is FakeQuantAVX512 on 8-lane registers (VCVTPS2DQ rounds
// by MXCSR, which Go keeps at round to nearest even); len(src) must be a
// multiple of 8.
//
//go:noescape
func FakeQuantAVX2(dst, src []float32, scale, lo, hi float32)
