package purego

import "math"

// Piecewise activations, written so that the compiler emits no branch per
// value: the condition selects integer bit patterns (a conditional move),
// the float arithmetic is unconditional. Explicit float64 conversions keep
// the compiler from fusing a product and a sum (as it does on arm64), so
// every architecture rounds each step as the assembly does. On values of random sign a
// branch per value mispredicts half the time and costs more than the
// arithmetic.

// one32 and one64 are the bit patterns of 1.0.
const (
	one32 = 0x3f800000
	one64 = 0x3ff0000000000000
)

// LeakyRelu is the twin of VecLeakyRelu*: for i < len(x),
//
//	dst[i] = x[i]·alpha   where x[i] < 0
//	dst[i] = x[i]·1       elsewhere (NaN, ±0 and positive values keep their value)
//
// in float32; len(dst) ≥ len(x), dst may be x.
func LeakyRelu(dst, x []float32, alpha float32) {
	dst = dst[:len(x)]
	ab := math.Float32bits(alpha)
	for i, v := range x {
		f := uint32(one32)
		if v < 0 {
			f = ab
		}
		dst[i] = v * math.Float32frombits(f)
	}
}

// clamp01 returns 0 where y < 0, 1 where y > 1, else y (so NaN and -0
// pass through), selecting bit patterns.
func clamp01(y float64) float64 {
	b := math.Float64bits(y)
	if y < 0 {
		b = 0
	}
	if y > 1 {
		b = one64
	}
	return math.Float64frombits(b)
}

// HardSigmoid is the twin of VecHardSigmoid*: for i < len(x),
//
//	dst[i] = float32(clamp01(alpha·float64(x[i]) + beta))
//
// with the product and the sum each rounded to float64 (no fused
// multiply-add) and clamp01(y) = 0 where y < 0, 1 where y > 1, else y
// (NaN stays NaN); len(dst) ≥ len(x), dst may be x.
func HardSigmoid(dst, x []float32, alpha, beta float64) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = float32(clamp01(float64(alpha*float64(v)) + beta))
	}
}

// HardSwish is the twin of VecHardSwish*: for i < len(x), with
// f = float64(x[i]),
//
//	dst[i] = float32(f · clamp01(f·(1/6) + 1/2))
//
// each step rounded to float64 (no fused multiply-add), clamp01 as in
// HardSigmoid; len(dst) ≥ len(x), dst may be x. Over all 2^32 float32
// inputs the result equals float32(f·clamp01(f/6 + 1/2)) with a true
// division bit for bit (checked exhaustively), so it is ONNX HardSwish
// in float64 rounded once to float32. -Inf gives NaN (-Inf·0).
func HardSwish(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		f := float64(v)
		dst[i] = float32(f * clamp01(float64(f*(1.0/6))+0.5))
	}
}
