//go:build noasm

package arm64

import "github.com/nncc/nncc/kernels/vecmath/purego"

// VecAsm reports that the Vec*NEON routines run assembly: not under noasm.
const VecAsm = false

// VecExpNEON is purego.Exp under the noasm tag.
func VecExpNEON(dst, x []float32) { purego.Exp(dst, x) }

// VecSigmoidNEON is purego.Sigmoid under the noasm tag.
func VecSigmoidNEON(dst, x []float32) { purego.Sigmoid(dst, x) }

// VecExpShiftSumNEON is purego.ExpShiftSum under the noasm tag.
func VecExpShiftSumNEON(dst, x []float32, c float32) float32 {
	return purego.ExpShiftSum(dst, x, c)
}

// VecSumNEON is purego.Sum under the noasm tag.
func VecSumNEON(x []float32) float32 { return purego.Sum(x) }

// VecSumSqDiffNEON is purego.SumSqDiff under the noasm tag.
func VecSumSqDiffNEON(x []float32, c float32) float32 { return purego.SumSqDiff(x, c) }

// VecMaxNEON is purego.Max under the noasm tag.
func VecMaxNEON(x []float32) float32 { return purego.Max(x) }

// VecBinaryNEON is purego.Binary under the noasm tag.
func VecBinaryNEON(op, kind int, dst, a, b []float32) { purego.Binary(op, kind, dst, a, b) }

// VecTanhNEON is purego.Tanh under the noasm tag.
func VecTanhNEON(dst, x []float32) { purego.Tanh(dst, x) }

// VecErfNEON is purego.Erf under the noasm tag.
func VecErfNEON(dst, x []float32) { purego.Erf(dst, x) }

// VecGeluErfNEON is purego.GeluErf under the noasm tag.
func VecGeluErfNEON(dst, x []float32) { purego.GeluErf(dst, x) }

// VecGeluTanhNEON is purego.GeluTanh under the noasm tag.
func VecGeluTanhNEON(dst, x []float32) { purego.GeluTanh(dst, x) }
