package kernels

import (
	"unsafe"

	"github.com/nncc/nncc/kernels/amd64"
)

// quantVec holds the 8-bit quantization routines of one ISA level
// (quantVecFor): AVX-512 or AVX2 assembly on amd64, the Go twins
// elsewhere. Every routine agrees bit for bit with its twin in
// kernels/amd64/quant_twins.go, which states the math:
//
//   - range: the least and greatest of 0 and the values, NaNs skipped;
//   - quantize: byte(roundEven(clamp(x/scale, qmin-zp, qmax-zp)) + zp),
//     x/scale a float32 division as in ONNX Runtime's MLAS (not a
//     multiplication by the reciprocal, which rounds differently), and a
//     NaN quotient clamped to qmin-zp, so it quantizes to the type's
//     minimum as in MLAS;
//   - dequantize: (float32(q) - zp) * scale;
//   - fake quantization: the two in one, float to float.
type quantVec struct {
	block  int // the length multiple the routines need; the twins do the rest
	minMax func(x []float32) (lo, hi float32)
	quant  func(dst []uint8, src []float32, scale, lo, hi float32, zp int32)
	deqU8  func(dst []float32, src []uint8, scale, zp float32)
	deqS8  func(dst []float32, src []int8, scale, zp float32)
	fake   func(dst, src []float32, scale, lo, hi float32)
}

// quantGo is the portable quantVec.
var quantGo = quantVec{
	block:  1,
	minMax: amd64.MinMaxZeroGo,
	quant:  amd64.QuantizeBytesGo,
	deqU8:  amd64.DequantizeU8Go,
	deqS8:  amd64.DequantizeS8Go,
	fake:   amd64.FakeQuantGo,
}

// rangeOf returns min(0, x...) and max(0, x...), NaNs skipped.
func (q *quantVec) rangeOf(x []float32) (lo, hi float32) {
	n := len(x) / q.block * q.block
	if n > 0 {
		lo, hi = q.minMax(x[:n])
	}
	// Neither side holds a NaN or -0, so min and max are exact here.
	l, h := amd64.MinMaxZeroGo(x[n:])
	return min(lo, l), max(hi, h)
}

// quantize sets dst[i] = byte(roundEven(clamp(src[i]/scale, lo, hi)) + zp)
// for i < len(src).
func (q *quantVec) quantize(dst []uint8, src []float32, scale, lo, hi float32, zp int32) {
	n := len(src) / q.block * q.block
	if n > 0 {
		q.quant(dst[:n], src[:n], scale, lo, hi, zp)
	}
	amd64.QuantizeBytesGo(dst[n:len(src)], src[n:], scale, lo, hi, zp)
}

// dequantize sets dst[i] = (float32(src[i]) - zp) * scale for i <
// len(src), reading src's bytes as int8 when signed.
func (q *quantVec) dequantize(dst []float32, src []uint8, signed bool, scale, zp float32) {
	n := len(src) / q.block * q.block
	if signed {
		s := unsafe.Slice((*int8)(unsafe.Pointer(unsafe.SliceData(src))), len(src))
		if n > 0 {
			q.deqS8(dst[:n], s[:n], scale, zp)
		}
		amd64.DequantizeS8Go(dst[n:len(s)], s[n:], scale, zp)
		return
	}
	if n > 0 {
		q.deqU8(dst[:n], src[:n], scale, zp)
	}
	amd64.DequantizeU8Go(dst[n:len(src)], src[n:], scale, zp)
}

// fakeQuant sets dst[i] = float32(roundEven(clamp(src[i]/scale, lo,
// hi))) * scale for i < len(src).
func (q *quantVec) fakeQuant(dst, src []float32, scale, lo, hi float32) {
	n := len(src) / q.block * q.block
	if n > 0 {
		q.fake(dst[:n], src[:n], scale, lo, hi)
	}
	amd64.FakeQuantGo(dst[n:len(src)], src[n:], scale, lo, hi)
}
