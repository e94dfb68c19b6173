package amd64

import "math"

// MinMaxZeroGo is the twin of MinMaxZeroAVX512 and MinMaxZeroAVX2: lo is
// the least of 0 and the elements of x, hi the greatest (the range
// DynamicQuantizeLinear quantizes over). NaNs are skipped, as MINPS/MAXPS
// skip them when the running value is the second operand, and lo and hi
// start at +0 and only move to a strictly smaller or greater value, so a
// -0 element never makes lo -0.
func MinMaxZeroGo(x []float32) (lo, hi float32) {
	for _, v := range x {
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	return lo, hi
}

// QuantizeBytesGo is the twin of QuantizeBytesAVX512 and
// QuantizeBytesAVX2: for i < len(src),
//
//	t      = src[i] / scale          (a float32 division, as ONNX Runtime's MLAS divides)
//	t      = min(max(t, lo), hi)     (a NaN becomes lo)
//	dst[i] = byte(roundEven(t) + zp) (the low byte of the int32)
//
// With lo = qmin-zp and hi = qmax-zp (integers) this is ONNX's
// saturate(roundEven(x/scale) + zp) for uint8 (qmin 0, qmax 255) and, read
// as int8, for int8 (-128, 127): rounding is monotone and keeps integers,
// so clamping before it equals saturating after. dst must be at least as
// long as src.
func QuantizeBytesGo(dst []uint8, src []float32, scale, lo, hi float32, zp int32) {
	dst = dst[:len(src)]
	for i, v := range src {
		t := v / scale
		if !(t > lo) {
			t = lo
		}
		if !(t < hi) {
			t = hi
		}
		dst[i] = uint8(int32(math.RoundToEven(float64(t))) + zp)
	}
}

// DequantizeU8Go is the twin of DequantizeU8AVX512 and DequantizeU8AVX2:
// dst[i] = (float32(src[i]) - zp) * scale for i < len(src) (the
// subtraction is exact for zero points of the type's range, so one
// rounding). dst must be at least as long as src.
func DequantizeU8Go(dst []float32, src []uint8, scale, zp float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = (float32(v) - zp) * scale
	}
}

// DequantizeS8Go is DequantizeU8Go for int8 elements (the twin of
// DequantizeS8AVX512 and DequantizeS8AVX2).
func DequantizeS8Go(dst []float32, src []int8, scale, zp float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = (float32(v) - zp) * scale
	}
}

// FakeQuantGo is the twin of FakeQuantAVX512 and FakeQuantAVX2: for i <
// len(src),
//
//	t      = min(max(src[i]/scale, lo), hi)   (a NaN quotient becomes lo)
//	dst[i] = float32(roundEven(t)) * scale
//
// which for lo = qmin-z, hi = qmax-z is DequantizeLinear(QuantizeLinear(x,
// scale, z), scale, z) bit for bit ((q - z)·scale; a zero comes out +0
// through the integer). dst may be src; it must be at least as long.
func FakeQuantGo(dst, src []float32, scale, lo, hi float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		t := v / scale
		if !(t > lo) {
			t = lo
		}
		if !(t < hi) {
			t = hi
		}
		dst[i] = float32(int32(math.RoundToEven(float64(t)))) * scale
	}
}
