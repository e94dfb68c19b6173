package vecmath

// Relu sets x[i] = max(x[i], 0) in place; NaN stays NaN and -0 becomes +0.
func Relu(x []float32) { BinaryScalar(MaxOp, x, x, 0) }

// Clip sets x[i] = min(max(x[i], lo), hi) in place; NaN stays NaN.
func Clip(x []float32, lo, hi float32) {
	BinaryScalar(MaxOp, x, x, lo)
	BinaryScalar(MinOp, x, x, hi)
}

// LeakyRelu sets x[i] = alpha·x[i] where x[i] < 0, in place (Go on every
// level: the loop compiles to a compare and a select per element).
func LeakyRelu(x []float32, alpha float32) {
	for i, v := range x {
		if v < 0 {
			x[i] = alpha * v
		}
	}
}
