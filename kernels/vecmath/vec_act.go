package vecmath

import (
	"github.com/nncc/nncc/internal/recycle"
	"math"
)

// Activations built on the level's vector routines: Expm1, Softplus and
// Mish run the vector exp over a chunk of actChunk elements into a pooled
// buffer, then finish the formula in a Go loop of float32 arithmetic
// (compares, a short polynomial), so the one transcendental per element
// is vectorised on every level; Elu, Selu and Celu are whole-chunk passes
// of the vector tanh and binary ops only. HardSigmoid and HardSwish round
// the float64 formula in the level's branch-free routines; Softsign is a
// Go loop rounding the float64 formula (it has no branch to mispredict).
// Bounds are in ulp of the exact result (as in accuracy.go), checked by
// TestActAccuracy against float64 references on the dense sweep of bit
// patterns.
const (
	// ErrExpm1: |x| < ln 2 uses a degree-9 Taylor polynomial (truncation
	// below 0.2 ulp, so tiny x give x exactly); elsewhere exp(x)-1 adds
	// about 2 ulp of exp's to the result (≤ 1 ulp for x < -ln 2); the
	// sweep measures 1.84.
	ErrExpm1 = 3
	// ErrSoftplus: max(x,0) + log1p(exp(-|x|)), log1p by the atanh series
	// in s = t/(2+t) (no cancellation); exp's 2 ulp pass through log1p
	// with gain ≤ 1; the sweep measures 3.41.
	ErrSoftplus = 4
	// ErrMish: x·n/(n+2), n = e(e+2), e = exp(x) (tanh(ln(1+e)) written
	// without the log; x·h·h, h = exp(x/2), below -20); exp's error
	// passes through with gain ≤ 1; the sweep measures 3.73.
	ErrMish = 5
)

// actChunk is the element count of the chunk buffers of this file.
const actChunk = 256

// actPool holds the chunk buffers (two chunks each). A buffer on the stack
// would move to the heap on every call: it is passed to the dispatch
// table's function values, which escape analysis cannot see through.
var actPool = recycle.Pool{New: func() any { return new([2 * actChunk]float32) }}

const (
	ln2f = 0.693147180559945309417232121458176568
	// mishLinear: above it tanh(softplus(x)) rounds to 1 in float32.
	mishLinear = 20
	// mishTail: below it tanh(softplus(x)) = e(1 - e/2 + …) rounds to
	// e = exp(x), and Mish computes x·h·h with h = exp(x/2), which stays
	// normal where exp(x) and the result are denormal.
	mishTail = -20
)

// expm1From returns exp(v)-1 given e = exp(v) (within ErrExp ulp).
func expm1From(v, e float32) float32 {
	if v > -ln2f && v < ln2f {
		// x·Σ_{k=0..8} x^k/(k+1)!; x·q keeps the sign of -0.
		q := 1 + v*(1.0/2+v*(1.0/6+v*(1.0/24+v*(1.0/120+v*(1.0/720+
			v*(1.0/5040+v*(1.0/40320+v*(1.0/362880))))))))
		return v * q
	}
	return e - 1
}

// log1pSmall returns ln(1+t) for t in [0, 1] (and NaN for NaN): with
// s = t/(2+t), ln(1+t) = 2·atanh(s) = 2s·Σ s^2k/(2k+1), s ≤ 1/3, summed to
// k = 7 (truncation < 0.25 ulp). It is written t·(2/(2+t))·p so that
// denormal t come back exactly.
func log1pSmall(t float32) float32 {
	r := 1 / (2 + t)
	s := t * r
	s2 := s * s
	p := 1 + s2*(1.0/3+s2*(1.0/5+s2*(1.0/7+s2*(1.0/9+s2*(1.0/11+s2*(1.0/13+s2*(1.0/15)))))))
	return t * (2 * r) * p
}

// Expm1 sets dst[i] = exp(x[i]) - 1 at r's level. dst may be x. Error ≤
// ErrExpm1 ulp, exact for tiny x and -1 for x ≤ -17.33 (exp(x) < 2^-25).
func (r *Routines) Expm1(dst, x []float32) {
	sameLen("Expm1", dst, x)
	buf := actPool.Get().(*[2 * actChunk]float32)
	defer actPool.Put(buf)
	for len(x) > 0 {
		n := min(len(x), actChunk)
		e := buf[:n]
		r.exp(e, x[:n])
		d := dst[:n]
		for i, v := range x[:n] {
			d[i] = expm1From(v, e[i])
		}
		dst, x = dst[n:], x[n:]
	}
}

// Elu sets dst[i] = alpha·(exp(x[i])-1) where x[i] < 0 and x[i] elsewhere
// (ONNX Elu). dst may be x. Error ≤ ErrElu ulp (see scaledElu).
func (r *Routines) Elu(dst, x []float32, alpha float32) {
	sameLen("Elu", dst, x)
	r.scaledElu(dst, x, 1, alpha, 1)
}

// Selu sets dst[i] = gamma·alpha·(exp(x[i])-1) where x[i] ≤ 0 and
// gamma·x[i] elsewhere (ONNX Selu). dst may be x. Error ≤ ErrElu+1 ulp
// (the rounding of gamma·alpha and of gamma·x).
func (r *Routines) Selu(dst, x []float32, alpha, gamma float32) {
	sameLen("Selu", dst, x)
	r.scaledElu(dst, x, 1, alpha, gamma)
}

// Celu sets dst[i] = alpha·(exp(x[i]/alpha)-1) where x[i] < 0 and x[i]
// elsewhere (ONNX Celu; alpha ≠ 0). dst may be x. Error ≤ ErrElu ulp of
// the result at the rounded x/alpha.
func (r *Routines) Celu(dst, x []float32, alpha float32) {
	sameLen("Celu", dst, x)
	r.scaledElu(dst, x, alpha, alpha, 1)
}

// ErrElu bounds Elu and Celu for x < 0: expm1(u) = 2t/(1-t) with
// t = tanh(u/2) ∈ (-1, 0], so 1-t ∈ [1, 2) has no cancellation and the
// error is tanh's ErrTanh plus four roundings (1-t, the scale, the
// quotient, alpha·); the sweep measures 2.05 (Selu 2.93 with γ).
const ErrElu = 4

// scaledElu sets dst[i] = gamma·x[i] + gamma·alpha·expm1(min(x[i],0)/div)
// with whole-chunk vector passes of r's level: u = min(x,0)/(2·div),
// t = tanh(u), q = 2·alpha·gamma·t/(1-t), dst = gamma·max(x,0) + q. For
// x ≥ 0, t = 0 and q = 0; NaN propagates through min and max.
func (r *Routines) scaledElu(dst, x []float32, div, alpha, gamma float32) {
	buf := actPool.Get().(*[2 * actChunk]float32)
	defer actPool.Put(buf)
	for len(x) > 0 {
		n := min(len(x), actChunk)
		t, p := buf[:n], buf[actChunk:actChunk+n]
		xs := x[:n]
		r.binaryScalar(int(MinOp), kindVS, t, xs, 0)
		if div == 1 {
			r.binaryScalar(opMul, kindVS, t, t, 0.5)
		} else {
			r.binaryScalar(int(Div), kindVS, t, t, 2*div)
		}
		r.tanh(t, t)
		r.binaryScalar(opSub, kindSV, p, t, 1)
		r.binaryScalar(opMul, kindVS, t, t, 2*alpha*gamma)
		r.binary(int(Div), kindVV, t, t, p)
		r.binaryScalar(int(MaxOp), kindVS, p, xs, 0)
		if gamma != 1 {
			r.binaryScalar(opMul, kindVS, p, p, gamma)
		}
		r.binary(int(Add), kindVV, dst[:n], p, t)
		dst, x = dst[n:], x[n:]
	}
}

// Softplus sets dst[i] = ln(1 + exp(x[i])), computed as max(x,0) +
// ln(1 + exp(-|x|)) (ONNX Softplus). dst may be x. Error ≤ ErrSoftplus ulp.
func (r *Routines) Softplus(dst, x []float32) {
	sameLen("Softplus", dst, x)
	buf := actPool.Get().(*[2 * actChunk]float32)
	defer actPool.Put(buf)
	for len(x) > 0 {
		n := min(len(x), actChunk)
		e := buf[:n]
		xs := x[:n]
		for i, v := range xs {
			if v > 0 {
				v = -v
			}
			e[i] = v
		}
		r.exp(e, e)
		d := dst[:n]
		for i, v := range xs {
			l := log1pSmall(e[i])
			if v > 0 {
				l += v
			}
			if v != v {
				l = v
			}
			d[i] = l
		}
		dst, x = dst[n:], x[n:]
	}
}

// Mish sets dst[i] = x·tanh(ln(1 + exp(x))) (ONNX Mish), computed as
// x·n/(n+2) with n = e·(e+2), e = exp(x), x itself above mishLinear and
// x·h·h, h = exp(x/2), below mishTail.
// dst may be x. Error ≤ ErrMish ulp; NaN at -Inf (as -Inf·0 in the
// formula).
func (r *Routines) Mish(dst, x []float32) {
	sameLen("Mish", dst, x)
	buf := actPool.Get().(*[2 * actChunk]float32)
	defer actPool.Put(buf)
	for len(x) > 0 {
		n := min(len(x), actChunk)
		e := buf[:n]
		xs := x[:n]
		for i, v := range xs {
			if v < mishTail {
				v *= 0.5
			}
			e[i] = v
		}
		r.exp(e, e)
		d := dst[:n]
		for i, v := range xs {
			if v > mishLinear {
				d[i] = v
				continue
			}
			if v < mishTail {
				d[i] = v * e[i] * e[i]
				continue
			}
			m := e[i] * (e[i] + 2)
			d[i] = v * (m / (m + 2))
		}
		dst, x = dst[n:], x[n:]
	}
}

// HardSigmoid sets dst[i] = max(0, min(1, alpha·x[i] + beta)) (ONNX
// HardSigmoid) in float64 arithmetic, so the result is the float64
// formula rounded once to float32 (≤ 0.5 ulp). dst may be x. Vector code
// on AVX2, AVX-512 and NEON, branch-free Go elsewhere (purego.HardSigmoid).
func (r *Routines) HardSigmoid(dst, x []float32, alpha, beta float64) {
	sameLen("HardSigmoid", dst, x)
	r.hardSigmoid(dst, x, alpha, beta)
}

// HardSwish sets dst[i] = x·max(0, min(1, x/6 + 1/2)) (ONNX HardSwish)
// in float64 arithmetic rounded once to float32 (≤ 0.5 ulp; bit for bit
// the float64 formula with a true division, see purego.HardSwish). dst
// may be x. Vector code on AVX2, AVX-512 and NEON, branch-free Go
// elsewhere.
func (r *Routines) HardSwish(dst, x []float32) {
	sameLen("HardSwish", dst, x)
	r.hardSwish(dst, x)
}

// Softsign sets dst[i] = x/(1 + |x|) (ONNX Softsign) in float64
// arithmetic. dst may be x. Go on every level.
func (r *Routines) Softsign(dst, x []float32) {
	sameLen("Softsign", dst, x)
	dst = dst[:len(x)]
	for i, v := range x {
		f := float64(v)
		dst[i] = float32(f / (1 + math.Abs(f)))
	}
}
