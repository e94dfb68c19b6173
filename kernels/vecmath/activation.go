package vecmath

// Relu sets x[i] = max(x[i], 0) in place; NaN stays NaN and -0 becomes +0.
func Relu(x []float32) { BinaryScalar(MaxOp, x, x, 0) }

// Clip sets x[i] = min(max(x[i], lo), hi) in place; NaN stays NaN.
func Clip(x []float32, lo, hi float32) {
	BinaryScalar(MaxOp, x, x, lo)
	BinaryScalar(MinOp, x, x, hi)
}

// LeakyRelu sets x[i] = alpha·x[i] where x[i] < 0, in place; NaN, ±0 and
// positive values are unchanged. No branch per value on any level.
func LeakyRelu(x []float32, alpha float32) { current().LeakyRelu(x, alpha) }
