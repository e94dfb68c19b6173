package purego

// Polynomial coefficients, fitted by TestFitCoefficients (fit_test.go:
// weighted least squares on Chebyshev points with Lawson reweighting
// towards minimax) and rounded to float32. The assembly in kernels/amd64
// carries the same values in its DATA tables.
const (
	// exp(r) = 1 + r + r²·Σ ExpP[i]·r^i on |r| ≤ ln2/2.
	ExpP0 = 0.5
	ExpP1 = 0.166666657
	ExpP2 = 0.0416662954
	ExpP3 = 0.00833349675
	ExpP4 = 0.00139446498
	ExpP5 = 0.000197903573

	// tanh(x) = x + x³·Σ TanhP[i]·x^(2i) on |x| < TanhSmall.
	TanhP0 = -0.333332807
	TanhP1 = 0.133314416
	TanhP2 = -0.0537397154
	TanhP3 = 0.0206390899
	TanhP4 = -0.00570499059

	// erf(v) = v·Σ ErfP[i]·v^(2i) on |v| < ErfSmall.
	ErfP0 = 1.12837911
	ErfP1 = -0.376126081
	ErfP2 = 0.112828381
	ErfP3 = -0.0267581809
	ErfP4 = 0.00471997214

	// erfc(v) = exp(-v²)·t·Σ ErfcQ[i]·(t-ErfcT0)^i with t = 2/(2+v), on
	// ErfSmall ≤ v ≤ 10.7 (all terms of one sign where they matter: no
	// cancellation in the evaluation).
	ErfcQ0 = 0.330599129
	ErfcQ1 = 0.369135559
	ErfcQ2 = 0.336789787
	ErfcQ3 = 0.221285537
	ErfcQ4 = 0.0511860959
	ErfcQ5 = -0.0549805574
	ErfcQ6 = -0.165341049
	ErfcQ7 = 0.108963713
	ErfcQ8 = 0.0332863741
	ErfcQ9 = -0.0327682383
	ErfcT0 = 0.15
)

// Exp's subnormal results: below ExpSub (down to ExpLo) Exp's p·2^n is
// subnormal or 0, and the AVX-512 and AVX2 assembly rounds it without an
// underflowing operation (EXP512, EXP256); TestExpSubThreshold checks
// every float32 from ExpLo to -80.
const (
	ExpSub  = -87.3365402 // the least float32 x whose p·2^n in Exp is normal
	MinNorm = 0x1p-126    // the least normal float32
)

// Range reduction and clamping constants.
const (
	Log2E  = 1.44269504     // log2(e)
	Ln2Hi  = 0.693359375    // ln 2 rounded to 9 bits: n·Ln2Hi is exact for |n| ≤ 2^15
	Ln2Lo  = -2.12194440e-4 // ln 2 - Ln2Hi
	Magic  = 12582912.0     // 1.5·2^23: adding it rounds to an integer
	ExpLo  = -104.0         // exp(x) rounds to 0 below
	ExpHi  = 88.8           // exp(x) overflows above 88.7228
	MaxF32 = 3.40282346638528859811704183484516925440e+38

	TanhSmall = 0.625 // tanh switches from the odd polynomial to 1-2/(e^2x+1)
	ErfSmall  = 0.5   // erf switches from the odd polynomial to 1-erfc
	ErfClamp  = 4.0   // erf(x) rounds to ±1 beyond
	GeluClamp = 15.0  // 0.5·x·erfc(|x|/√2) underflows to 0 beyond
	InvSqrt2  = 0.707106781

	// GELU tanh form: 2·√(2/π)·(x + 0.044715x³) = x·(GeluK0 + GeluK1·x²).
	GeluK0 = 1.59576912
	GeluK1 = 0.0713548162
)
