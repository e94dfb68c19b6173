package purego

import "math"

// Exp is the twin of VecExp*: dst[i] = exp(x[i]) for i < len(x) by
//
//	xc = clamp(x, ExpLo, ExpHi)                    (NaN stays NaN)
//	n  = round(xc·log2 e),  r = xc - n·Ln2Hi - n·Ln2Lo   (|r| ≤ ln2/2)
//	p  = (P(r)·r + 1)·r + 1 = 1 + r + r²·P(r)      (P: ExpP0…ExpP5)
//	exp(x) = p · 2^⌊n/2⌋ · 2^(n-⌊n/2⌋)              (two scalings: no
//	                                                overflow of 2^n, one
//	                                                rounding into denormals)
//
// len(dst) ≥ len(x); dst may be x.
func Exp(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = exp1(v)
	}
}

func exp1(x float32) float32 {
	if x != x {
		return x
	}
	xc := min(max(x, ExpLo), ExpHi)
	n := (xc*Log2E + Magic) - Magic
	r := xc - n*Ln2Hi
	r = r - n*Ln2Lo
	p := ((((ExpP5*r+ExpP4)*r+ExpP3)*r+ExpP2)*r+ExpP1)*r + ExpP0
	p = (p*r+1)*r + 1
	ni := int32(n)
	n1 := ni >> 1
	n2 := ni - n1
	return p * math.Float32frombits(uint32(n1+127)<<23) * math.Float32frombits(uint32(n2+127)<<23)
}

func abs32(x float32) float32 { return math.Float32frombits(math.Float32bits(x) &^ (1 << 31)) }

// copySign returns |r| with the sign bit of s.
func copySign(r, s float32) float32 {
	return math.Float32frombits(math.Float32bits(r)&^(1<<31) | math.Float32bits(s)&(1<<31))
}

// Tanh is the twin of VecTanh*: with a = |x|,
//
//	tanh(x) = sign(x)·(a + a³·P(a²))          for a < TanhSmall (P: TanhP0…TanhP4)
//	tanh(x) = sign(x)·(1 - 2/(exp(2a) + 1))   otherwise
func Tanh(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = tanh1(v)
	}
}

func tanh1(x float32) float32 {
	a := abs32(x)
	var r float32
	if a < TanhSmall {
		z := a * a
		p := (((TanhP4*z+TanhP3)*z+TanhP2)*z+TanhP1)*z + TanhP0
		r = a + a*z*p
	} else {
		e := exp1(2 * a)
		r = 1 - 2/(e+1)
	}
	return copySign(r, x)
}

// Sigmoid is the twin of VecSigmoid*: with e = exp(-|x|) and s = 1/(1+e),
// sigmoid(x) = s for x ≥ 0 and e·s for x < 0 (no overflow, full relative
// accuracy down to the denormals).
func Sigmoid(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = sigmoid1(v)
	}
}

func sigmoid1(x float32) float32 {
	e := exp1(-abs32(x))
	s := 1 / (1 + e)
	if x < 0 {
		s = e * s
	}
	return s
}

// erfcCore returns the two factors of erfc(v) = e·q for ErfSmall ≤ v ≤
// 10.7, given v² as the exact sum s + se:
//
//	e = exp(-s)·(1 - se),  q = t·Q(t - ErfcT0), t = 2/(2+v)   (Q: ErfcQ0…ErfcQ9)
//
// Splitting v² keeps the rounding of v² (relative error v²·2^-24) out of
// exp: exp(-s-se) = exp(-s)·(1-se) to within se². The factors are kept
// apart so that GELU multiplies by x/2 before the product can go denormal.
func erfcCore(v, s, se float32) (e, q float32) {
	e = exp1(-s)
	e = e - e*se
	t := 2 / (2 + v)
	w := t - ErfcT0
	q = ((((((((ErfcQ9*w+ErfcQ8)*w+ErfcQ7)*w+ErfcQ6)*w+ErfcQ5)*w+ErfcQ4)*w+ErfcQ3)*w+ErfcQ2)*w+ErfcQ1)*w + ErfcQ0
	return e, t * q
}

// sqSplit returns s = fl(v·v) and se = v·v - s exactly.
func sqSplit(v float32) (s, se float32) {
	s = v * v
	se = float32(float64(v)*float64(v) - float64(s))
	return s, se
}

func erfSmall(v float32) float32 {
	z := v * v
	return v * ((((ErfP4*z+ErfP3)*z+ErfP2)*z+ErfP1)*z + ErfP0)
}

// Erf is the twin of VecErf*: with v = min(|x|, ErfClamp),
//
//	erf(x) = sign(x)·v·P(v²)            for v < ErfSmall (P: ErfP0…ErfP4)
//	erf(x) = sign(x)·(1 - erfc(v))      otherwise, erfc as in erfcCore
func Erf(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = erf1(v)
	}
}

func erf1(x float32) float32 {
	v := min(abs32(x), ErfClamp)
	var r float32
	if v < ErfSmall {
		r = erfSmall(v)
	} else {
		s, se := sqSplit(v)
		e, q := erfcCore(v, s, se)
		r = 1 - e*q
	}
	return copySign(r, x)
}

// GeluErf is the twin of VecGeluErf*: gelu(x) = x/2·(1 + erf(x/√2)),
// computed without cancellation for negative x through erfc:
//
//	xc = clamp(x, -GeluClamp, GeluClamp),  v = |xc|/√2
//	h  = xc/2 · (1 - v·P(v²))   for v < ErfSmall
//	h  = (xc/2 · e) · q         otherwise, erfc(v) = e·q as in erfcCore
//	                            with v² = xc²/2 split exactly
//	                            (h = x/2·erfc(|x|/√2))
//	gelu(x) = x - h for x ≥ 0, h for x < 0
func GeluErf(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = geluErf1(v)
	}
}

func geluErf1(x float32) float32 {
	xc := min(max(x, -GeluClamp), GeluClamp)
	v := abs32(xc) * InvSqrt2
	var h float32
	if v < ErfSmall {
		h = 0.5 * xc * (1 - erfSmall(v))
	} else {
		s, se := sqSplit(xc)
		e, q := erfcCore(v, 0.5*s, 0.5*se)
		h = 0.5 * xc * e * q
	}
	if x >= 0 {
		return x - h
	}
	return h
}

// GeluTanh is the twin of VecGeluTanh*: the tanh approximation
// x/2·(1 + tanh(√(2/π)(x + 0.044715x³))), rewritten as x·sigmoid(2z) so
// that negative x does not cancel:
//
//	xc = max(x, -MaxF32)                 (-Inf gives -0, the limit)
//	z2 = xc·(GeluK0 + GeluK1·xc²)        (= 2z)
//	gelu(x) = xc·sigmoid(z2), sigmoid as in Sigmoid
func GeluTanh(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = geluTanh1(v)
	}
}

func geluTanh1(x float32) float32 {
	xc := max(x, -MaxF32)
	if x != x {
		xc = x
	}
	z2 := xc * (GeluK0 + GeluK1*(xc*xc))
	return xc * sigmoid1(z2)
}
