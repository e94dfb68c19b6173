//go:build noasm

package amd64

// MinMaxZeroAVX512 is MinMaxZeroGo under the noasm tag.
func MinMaxZeroAVX512(x []float32) (lo, hi float32) { return MinMaxZeroGo(x) }

// QuantizeBytesAVX512 is QuantizeBytesGo under the noasm tag.
func QuantizeBytesAVX512(dst []uint8, src []float32, scale, lo, hi float32, zp int32) {
	QuantizeBytesGo(dst, src, scale, lo, hi, zp)
}

// DequantizeU8AVX512 is DequantizeU8Go under the noasm tag.
func DequantizeU8AVX512(dst []float32, src []uint8, scale, zp float32) {
	DequantizeU8Go(dst, src, scale, zp)
}

// DequantizeS8AVX512 is DequantizeS8Go under the noasm tag.
func DequantizeS8AVX512(dst []float32, src []int8, scale, zp float32) {
	DequantizeS8Go(dst, src, scale, zp)
}

// MinMaxZeroAVX2 is MinMaxZeroGo under the noasm tag.
func MinMaxZeroAVX2(x []float32) (lo, hi float32) { return MinMaxZeroGo(x) }

// QuantizeBytesAVX2 is QuantizeBytesGo under the noasm tag.
func QuantizeBytesAVX2(dst []uint8, src []float32, scale, lo, hi float32, zp int32) {
	QuantizeBytesGo(dst, src, scale, lo, hi, zp)
}

// DequantizeU8AVX2 is DequantizeU8Go under the noasm tag.
func DequantizeU8AVX2(dst []float32, src []uint8, scale, zp float32) {
	DequantizeU8Go(dst, src, scale, zp)
}

// DequantizeS8AVX2 is DequantizeS8Go under the noasm tag.
func DequantizeS8AVX2(dst []float32, src []int8, scale, zp float32) {
	DequantizeS8Go(dst, src, scale, zp)
}

// FakeQuantAVX512 is FakeQuantGo under the noasm tag.
func FakeQuantAVX512(dst, src []float32, scale, lo, hi float32) { FakeQuantGo(dst, src, scale, lo, hi) }

// FakeQuantAVX2 is FakeQuantGo under the noasm tag.
func FakeQuantAVX2(dst, src []float32, scale, lo, hi float32) { FakeQuantGo(dst, src, scale, lo, hi) }
