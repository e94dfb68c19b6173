//go:build noasm

package amd64

import "github.com/nncc/nncc/kernels/vecmath/purego"

// VecAsm reports that the vec routines are assembly: not under noasm.
const VecAsm = false

// VecExpAVX512 is purego.Exp under the noasm tag.
func VecExpAVX512(dst, x []float32) { purego.Exp(dst, x) }

// VecExpAVX2 is purego.Exp under the noasm tag.
func VecExpAVX2(dst, x []float32) { purego.Exp(dst, x) }

// VecTanhAVX512 is purego.Tanh under the noasm tag.
func VecTanhAVX512(dst, x []float32) { purego.Tanh(dst, x) }

// VecTanhAVX2 is purego.Tanh under the noasm tag.
func VecTanhAVX2(dst, x []float32) { purego.Tanh(dst, x) }

// VecSigmoidAVX512 is purego.Sigmoid under the noasm tag.
func VecSigmoidAVX512(dst, x []float32) { purego.Sigmoid(dst, x) }

// VecSigmoidAVX2 is purego.Sigmoid under the noasm tag.
func VecSigmoidAVX2(dst, x []float32) { purego.Sigmoid(dst, x) }

// VecErfAVX512 is purego.Erf under the noasm tag.
func VecErfAVX512(dst, x []float32) { purego.Erf(dst, x) }

// VecErfAVX2 is purego.Erf under the noasm tag.
func VecErfAVX2(dst, x []float32) { purego.Erf(dst, x) }

// VecGeluErfAVX512 is purego.GeluErf under the noasm tag.
func VecGeluErfAVX512(dst, x []float32) { purego.GeluErf(dst, x) }

// VecGeluErfAVX2 is purego.GeluErf under the noasm tag.
func VecGeluErfAVX2(dst, x []float32) { purego.GeluErf(dst, x) }

// VecGeluTanhAVX512 is purego.GeluTanh under the noasm tag.
func VecGeluTanhAVX512(dst, x []float32) { purego.GeluTanh(dst, x) }

// VecGeluTanhAVX2 is purego.GeluTanh under the noasm tag.
func VecGeluTanhAVX2(dst, x []float32) { purego.GeluTanh(dst, x) }

// VecExpShiftSumAVX512 is purego.ExpShiftSum under the noasm tag.
func VecExpShiftSumAVX512(dst, x []float32, c float32) float32 { return purego.ExpShiftSum(dst, x, c) }

// VecExpShiftSumAVX2 is purego.ExpShiftSum under the noasm tag.
func VecExpShiftSumAVX2(dst, x []float32, c float32) float32 { return purego.ExpShiftSum(dst, x, c) }

// VecSumAVX512 is purego.Sum under the noasm tag.
func VecSumAVX512(x []float32) float32 { return purego.Sum(x) }

// VecSumAVX2 is purego.Sum under the noasm tag.
func VecSumAVX2(x []float32) float32 { return purego.Sum(x) }

// VecSumSqDiffAVX512 is purego.SumSqDiff under the noasm tag.
func VecSumSqDiffAVX512(x []float32, c float32) float32 { return purego.SumSqDiff(x, c) }

// VecSumSqDiffAVX2 is purego.SumSqDiff under the noasm tag.
func VecSumSqDiffAVX2(x []float32, c float32) float32 { return purego.SumSqDiff(x, c) }

// VecMaxAVX512 is purego.Max under the noasm tag.
func VecMaxAVX512(x []float32) float32 { return purego.Max(x) }

// VecMaxAVX2 is purego.Max under the noasm tag.
func VecMaxAVX2(x []float32) float32 { return purego.Max(x) }

// VecBinaryAVX512 is purego.Binary under the noasm tag.
func VecBinaryAVX512(op, kind int, dst, a, b []float32) { purego.Binary(op, kind, dst, a, b) }

// VecBinaryAVX2 is purego.Binary under the noasm tag.
func VecBinaryAVX2(op, kind int, dst, a, b []float32) { purego.Binary(op, kind, dst, a, b) }
