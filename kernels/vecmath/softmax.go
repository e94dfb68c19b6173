package vecmath

import "github.com/nncc/nncc/internal/recycle"

// scratchPool holds rows for in-place LogSoftmax.
var scratchPool = recycle.Pool{New: func() any { return new([]float32) }}

// Softmax sets dst[i] = exp(x[i]-m) / Σ_j exp(x[j]-m) with m = max x, in
// three passes (Max, ExpShiftSum, scale by the reciprocal of the sum).
// dst may be x. Each result's relative error is at most (ErrExp + 2 +
// |x[i]-m|)·2^-24 plus the sum's relative rounding error (≤ (len/lanes +
// 6)·2^-24, see Sum): the float32 difference x[i]-m is rounded, and exp
// turns its absolute error into a relative one (inherent in float32 input
// to exp; it matters only for results far below the largest). NaN anywhere gives NaN everywhere; a row of -Inf gives NaN (as
// the ONNX reference formula does).
func Softmax(dst, x []float32) { current().Softmax(dst, x) }

// LogSoftmax sets dst[i] = x[i] - m - ln Σ_j exp(x[j]-m), m = max x. dst
// may be x. The absolute error is at most about 2^-23·(|m| + |ln Σ|) + the
// sum's relative error (see Sum): the subtraction x - (m + ln Σ) is the only
// cancellation, and it is inherent in float32 output.
func LogSoftmax(dst, x []float32) { current().LogSoftmax(dst, x) }
