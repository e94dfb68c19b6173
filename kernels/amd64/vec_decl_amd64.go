//go:build !noasm

package amd64

// VecAsm reports that the vec routines below are assembly (false under
// the noasm tag, where they are their purego twins).
const VecAsm = true

// VecExpAVX512: dst[i] = exp(x[i]), 16 lanes at a time; its twin is purego.Exp.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecExpAVX512(dst, x []float32)

// VecExpAVX2: dst[i] = exp(x[i]), 8 lanes at a time; its twin is purego.Exp.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecExpAVX2(dst, x []float32)

// VecTanhAVX512: dst[i] = tanh(x[i]), 16 lanes at a time; its twin is purego.Tanh.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecTanhAVX512(dst, x []float32)

// VecTanhAVX2: dst[i] = tanh(x[i]), 8 lanes at a time; its twin is purego.Tanh.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecTanhAVX2(dst, x []float32)

// VecSigmoidAVX512: dst[i] = 1/(1+exp(-x[i])), 16 lanes at a time; its twin is purego.Sigmoid.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecSigmoidAVX512(dst, x []float32)

// VecSigmoidAVX2: dst[i] = 1/(1+exp(-x[i])), 8 lanes at a time; its twin is purego.Sigmoid.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecSigmoidAVX2(dst, x []float32)

// VecErfAVX512: dst[i] = erf(x[i]), 16 lanes at a time; its twin is purego.Erf.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecErfAVX512(dst, x []float32)

// VecErfAVX2: dst[i] = erf(x[i]), 8 lanes at a time; its twin is purego.Erf.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecErfAVX2(dst, x []float32)

// VecGeluErfAVX512: dst[i] = gelu(x[i]), erf form, 16 lanes at a time; its twin is purego.GeluErf.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecGeluErfAVX512(dst, x []float32)

// VecGeluErfAVX2: dst[i] = gelu(x[i]), erf form, 8 lanes at a time; its twin is purego.GeluErf.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecGeluErfAVX2(dst, x []float32)

// VecGeluTanhAVX512: dst[i] = gelu(x[i]), tanh form, 16 lanes at a time; its twin is purego.GeluTanh.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecGeluTanhAVX512(dst, x []float32)

// VecGeluTanhAVX2: dst[i] = gelu(x[i]), tanh form, 8 lanes at a time; its twin is purego.GeluTanh.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecGeluTanhAVX2(dst, x []float32)

// VecExpShiftSumAVX512: dst[i] = exp(x[i]-c), returns Σ dst[i], 16 lanes at a time; its twin is purego.ExpShiftSum.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecExpShiftSumAVX512(dst, x []float32, c float32) float32

// VecExpShiftSumAVX2: dst[i] = exp(x[i]-c), returns Σ dst[i], 8 lanes at a time; its twin is purego.ExpShiftSum.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecExpShiftSumAVX2(dst, x []float32, c float32) float32

// VecSumAVX512: returns Σ x[i], 16 lanes at a time; its twin is purego.Sum.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecSumAVX512(x []float32) float32

// VecSumAVX2: returns Σ x[i], 8 lanes at a time; its twin is purego.Sum.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecSumAVX2(x []float32) float32

// VecSumSqDiffAVX512: returns Σ (x[i]-c)², 16 lanes at a time; its twin is purego.SumSqDiff.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecSumSqDiffAVX512(x []float32, c float32) float32

// VecSumSqDiffAVX2: returns Σ (x[i]-c)², 8 lanes at a time; its twin is purego.SumSqDiff.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecSumSqDiffAVX2(x []float32, c float32) float32

// VecMaxAVX512: returns max x[i] (NaN if any is NaN), 16 lanes at a time; its twin is purego.Max.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecMaxAVX512(x []float32) float32

// VecMaxAVX2: returns max x[i] (NaN if any is NaN), 8 lanes at a time; its twin is purego.Max.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecMaxAVX2(x []float32) float32

// VecBinaryAVX512: dst[i] = a[i|0] op b[i|0], 16 lanes at a time; its twin is purego.Binary.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecBinaryAVX512(op, kind int, dst, a, b []float32)

// VecBinaryAVX2: dst[i] = a[i|0] op b[i|0], 8 lanes at a time; its twin is purego.Binary.
// Lengths as stated there; the assembly does not check them.
//
//go:noescape
func VecBinaryAVX2(op, kind int, dst, a, b []float32)
