package vecmath

// Documented error bounds of the vector functions, in ulp of the exact
// result (the spacing of float32 at the result, 2^-149 among denormals),
// over every float32 input on every ISA level. TestAccuracy checks them
// against the float64 functions of package math on a dense sweep of bit
// patterns plus the special values and range edges.
const (
	ErrExp      = 2 // exp: Cody-Waite reduction, degree-7 polynomial
	ErrLog      = 1 // log: rounded float64 logarithm
	ErrTanh     = 2 // tanh: odd polynomial below 0.625, 1-2/(e^2x+1) above
	ErrSigmoid  = 3 // sigmoid: exp(-|x|) based, accurate down to denormals
	ErrErf      = 3 // erf: odd polynomial below 0.5, 1-erfc above
	ErrGeluErf  = 6 // gelu (erf form): through erfc, so no cancellation for x < 0
	ErrGeluTanh = 4 // gelu (tanh form), plus GeluTanhCond·|2z| ulp (see below)

	// GeluTanhCond: the tanh form's argument 2z = 2√(2/π)(x + 0.044715x³)
	// is rounded a few times in float32, and for x < 0 the result
	// x·sigmoid(2z) changes relatively by |2z| times the relative change of
	// 2z. The bound is therefore ErrGeluTanh + GeluTanhCond·|2z| ulp: 4 ulp
	// near 0, about 30 ulp at x = -3, 260 ulp at x = -10 (where the result
	// is 1e-37). Any float32 evaluation of that formula shares this.
	GeluTanhCond = 3
)
