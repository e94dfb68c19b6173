package vecmath

import "math"

// Softmax sets dst[i] = exp(x[i]-m) / Σ_j exp(x[j]-m) with m = max x, in
// three passes (Max, ExpShiftSum, scale by the reciprocal of the sum).
// dst may be x. Each result's relative error is at most (ErrExp + 2 +
// |x[i]-m|)·2^-24 plus the sum's relative rounding error (≤ (len/lanes +
// 6)·2^-24, see Sum): the float32 difference x[i]-m is rounded, and exp
// turns its absolute error into a relative one (inherent in float32 input
// to exp; it matters only for results far below the largest). NaN anywhere gives NaN everywhere; a row of -Inf gives NaN (as
// the ONNX reference formula does).
func Softmax(dst, x []float32) {
	sameLen("Softmax", dst, x)
	if len(x) == 0 {
		return
	}
	im := cur()
	m := im.max(x)
	s := im.expShiftSum(dst, x, m)
	r := [1]float32{1 / s}
	im.binary(opMul, kindVS, dst, dst, r[:])
}

// LogSoftmax sets dst[i] = x[i] - m - ln Σ_j exp(x[j]-m), m = max x. dst
// may be x. The absolute error is at most about 2^-23·(|m| + |ln Σ|) + the
// sum's relative error (see Sum): the subtraction x - (m + ln Σ) is the only
// cancellation, and it is inherent in float32 output.
func LogSoftmax(dst, x []float32) {
	sameLen("LogSoftmax", dst, x)
	if len(x) == 0 {
		return
	}
	im := cur()
	m := im.max(x)
	// Σ exp(x-m) without writing dst (which may alias x): through a stack
	// buffer, chunk by chunk.
	var buf [512]float32
	var s float32
	for i := 0; i < len(x); i += len(buf) {
		xs := x[i:min(i+len(buf), len(x))]
		s += im.expShiftSum(buf[:len(xs)], xs, m)
	}
	l := [1]float32{m + float32(math.Log(float64(s)))}
	im.binary(opSub, kindVS, dst, x, l[:])
}
