package vecmath

import (
	"fmt"
	"math"
)

func sameLen(what string, dst, x []float32) {
	if len(dst) != len(x) {
		panic(fmt.Sprintf("vecmath: %s: len(dst) = %d, len(x) = %d", what, len(dst), len(x)))
	}
}

// Exp sets dst[i] = exp(x[i]). dst may be x. Error ≤ ErrExp ulp.
func Exp(dst, x []float32) { current().Exp(dst, x) }

// Tanh sets dst[i] = tanh(x[i]). dst may be x. Error ≤ ErrTanh ulp.
func Tanh(dst, x []float32) { current().Tanh(dst, x) }

// Sigmoid sets dst[i] = 1/(1+exp(-x[i])). dst may be x. Error ≤ ErrSigmoid ulp.
func Sigmoid(dst, x []float32) { current().Sigmoid(dst, x) }

// Erf sets dst[i] = erf(x[i]). dst may be x. Error ≤ ErrErf ulp.
func Erf(dst, x []float32) { current().Erf(dst, x) }

// GeluErf sets dst[i] = x/2·(1 + erf(x/√2)) (ONNX Gelu, approximate="none").
// dst may be x. Error ≤ ErrGeluErf ulp.
func GeluErf(dst, x []float32) { current().GeluErf(dst, x) }

// GeluTanh sets dst[i] = x/2·(1 + tanh(√(2/π)·(x + 0.044715x³))) (ONNX
// Gelu, approximate="tanh"). dst may be x. See ErrGeluTanh for the bound.
func GeluTanh(dst, x []float32) { current().GeluTanh(dst, x) }

// Log sets dst[i] = ln(x[i]) (NaN for x < 0, -Inf for ±0). dst may be x.
// It rounds the float64 logarithm, so the error is ≤ ErrLog ulp; it has no
// assembly on any level (no hot path needs a vector log).
func Log(dst, x []float32) {
	sameLen("Log", dst, x)
	for i, v := range x {
		dst[i] = float32(math.Log(float64(v)))
	}
}
