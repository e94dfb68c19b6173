//go:build !noasm

package arm64

import "math"

// VecAsm reports that the Vec*NEON routines run assembly (false under the
// noasm tag, where they are their purego twins).
const VecAsm = true

// The NEON routines work on whole vectors of 4; the exported wrappers
// below run the remaining 1…3 elements through the same routine on a
// padded copy, so every element gets the assembly's arithmetic.

//go:noescape
func vecExpNEON(dst, x []float32)

//go:noescape
func vecSigmoidNEON(dst, x []float32)

//go:noescape
func vecExpShiftSumNEON(dst, x []float32, c float32) float32

//go:noescape
func vecSumNEON(x []float32) float32

//go:noescape
func vecSumSqDiffNEON(x []float32, c float32) float32

//go:noescape
func vecMaxNEON(x []float32) float32

//go:noescape
func vecBinaryNEON(op, kind int, dst, a, b []float32)

// VecExpNEON: dst[i] = exp(x[i]); its twin is purego.Exp.
func VecExpNEON(dst, x []float32) {
	n := len(x) &^ 3
	if n > 0 {
		vecExpNEON(dst[:n], x[:n])
	}
	if r := len(x) - n; r > 0 {
		var buf [4]float32
		copy(buf[:], x[n:])
		vecExpNEON(buf[:], buf[:])
		copy(dst[n:len(x)], buf[:r])
	}
}

// VecSigmoidNEON: dst[i] = 1/(1+exp(-x[i])); its twin is purego.Sigmoid.
func VecSigmoidNEON(dst, x []float32) {
	n := len(x) &^ 3
	if n > 0 {
		vecSigmoidNEON(dst[:n], x[:n])
	}
	if r := len(x) - n; r > 0 {
		var buf [4]float32
		copy(buf[:], x[n:])
		vecSigmoidNEON(buf[:], buf[:])
		copy(dst[n:len(x)], buf[:r])
	}
}

// VecExpShiftSumNEON: dst[i] = exp(x[i]-c), returns Σ dst[i]; its twin is
// purego.ExpShiftSum. The tail is padded with -Inf (exp gives 0).
func VecExpShiftSumNEON(dst, x []float32, c float32) float32 {
	n := len(x) &^ 3
	var s float32
	if n > 0 {
		s = vecExpShiftSumNEON(dst[:n], x[:n], c)
	}
	if r := len(x) - n; r > 0 {
		buf := [4]float32{negInf, negInf, negInf, negInf}
		copy(buf[:], x[n:])
		s += vecExpShiftSumNEON(buf[:], buf[:], c)
		copy(dst[n:len(x)], buf[:r])
	}
	return s
}

var negInf = float32(math.Inf(-1))

// VecSumNEON returns Σ x[i]; its twin is purego.Sum.
func VecSumNEON(x []float32) float32 {
	n := len(x) &^ 3
	s := vecSumNEON(x[:n])
	if n < len(x) {
		var buf [4]float32
		copy(buf[:], x[n:])
		s += vecSumNEON(buf[:])
	}
	return s
}

// VecSumSqDiffNEON returns Σ (x[i]-c)²; its twin is purego.SumSqDiff. The
// tail is padded with c.
func VecSumSqDiffNEON(x []float32, c float32) float32 {
	n := len(x) &^ 3
	s := vecSumSqDiffNEON(x[:n], c)
	if n < len(x) {
		buf := [4]float32{c, c, c, c}
		copy(buf[:], x[n:])
		s += vecSumSqDiffNEON(buf[:], c)
	}
	return s
}

// VecMaxNEON returns max x[i] (NaN if any is NaN, -Inf if empty); its twin
// is purego.Max.
func VecMaxNEON(x []float32) float32 {
	n := len(x) &^ 3
	m := vecMaxNEON(x[:n])
	if n < len(x) {
		buf := [4]float32{negInf, negInf, negInf, negInf}
		copy(buf[:], x[n:])
		m = max(m, vecMaxNEON(buf[:])) // max propagates NaN
	}
	return m
}

// VecBinaryNEON: dst[i] = a[i|0] op b[i|0] (purego.Binary's op and kind codes).
func VecBinaryNEON(op, kind int, dst, a, b []float32) {
	n := len(dst) &^ 3
	if n > 0 {
		vecBinaryNEON(op, kind, dst[:n], a, b)
	}
	r := len(dst) - n
	if r == 0 {
		return
	}
	var ab, bb, db [4]float32
	as, bs := a, b
	if kind != 2 { // a is a vector
		copy(ab[:], a[n:n+r])
		as = ab[:]
	}
	if kind != 1 { // b is a vector
		copy(bb[:], b[n:n+r])
		bs = bb[:]
	}
	vecBinaryNEON(op, kind, db[:], as, bs)
	copy(dst[n:], db[:r])
}

//go:noescape
func vecTanhNEON(dst, x []float32)

//go:noescape
func vecErfNEON(dst, x []float32)

//go:noescape
func vecGeluErfNEON(dst, x []float32)

//go:noescape
func vecGeluTanhNEON(dst, x []float32)

// VecTanhNEON: dst[i] = tanh(x[i]); its twin is purego.Tanh.
func VecTanhNEON(dst, x []float32) {
	n := len(x) &^ 3
	if n > 0 {
		vecTanhNEON(dst[:n], x[:n])
	}
	if r := len(x) - n; r > 0 {
		var buf [4]float32
		copy(buf[:], x[n:])
		vecTanhNEON(buf[:], buf[:])
		copy(dst[n:len(x)], buf[:r])
	}
}

// VecErfNEON: dst[i] = erf(x[i]); its twin is purego.Erf.
func VecErfNEON(dst, x []float32) {
	n := len(x) &^ 3
	if n > 0 {
		vecErfNEON(dst[:n], x[:n])
	}
	if r := len(x) - n; r > 0 {
		var buf [4]float32
		copy(buf[:], x[n:])
		vecErfNEON(buf[:], buf[:])
		copy(dst[n:len(x)], buf[:r])
	}
}

// VecGeluErfNEON: dst[i] = x[i]/2·(1 + erf(x[i]/√2)); its twin is
// purego.GeluErf.
func VecGeluErfNEON(dst, x []float32) {
	n := len(x) &^ 3
	if n > 0 {
		vecGeluErfNEON(dst[:n], x[:n])
	}
	if r := len(x) - n; r > 0 {
		var buf [4]float32
		copy(buf[:], x[n:])
		vecGeluErfNEON(buf[:], buf[:])
		copy(dst[n:len(x)], buf[:r])
	}
}

// VecGeluTanhNEON: dst[i] = x[i]·sigmoid(2√(2/π)(x[i] + 0.044715x[i]³));
// its twin is purego.GeluTanh.
func VecGeluTanhNEON(dst, x []float32) {
	n := len(x) &^ 3
	if n > 0 {
		vecGeluTanhNEON(dst[:n], x[:n])
	}
	if r := len(x) - n; r > 0 {
		var buf [4]float32
		copy(buf[:], x[n:])
		vecGeluTanhNEON(buf[:], buf[:])
		copy(dst[n:len(x)], buf[:r])
	}
}
