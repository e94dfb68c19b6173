package sgemm

// Activation is an elementwise function fused into the writing of C.
type Activation int

// Activations the micro-kernels apply in registers. Others go through
// Epilogue.Hook.
const (
	ActNone Activation = iota // identity
	ActReLU                   // max(0, v); NaN stays NaN
)

// Epilogue is applied to C after the product, as the final values are
// written: C[i,j] = hook(act(alpha*op(A)op(B)[i,j] + beta*C[i,j] + Bias[j])).
// The zero value does nothing.
type Epilogue struct {
	// Bias, when non-nil, holds one value per column of C (len ≥ n).
	Bias []float32
	// Act is applied in the micro-kernel's registers.
	Act Activation
	// Hook, when non-nil, is called on each finished piece of a row of C
	// (still hot in L1), after Bias and Act; it may rewrite row in place.
	// col is the column of row[0]. It is called from the pool's goroutines
	// concurrently (on disjoint pieces) and must not retain row.
	Hook func(row []float32, i, col int)
}

func (e *Epilogue) empty() bool {
	return e == nil || (e.Bias == nil && e.Act == ActNone && e.Hook == nil)
}
