package vecmath

import (
	"github.com/nncc/nncc/kernels/arm64"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/vecmath/purego"
)

// archImpls is the NEON row: assembly for exp, sigmoid, the softmax pass,
// reductions and binary ops; tanh, erf, the GELUs and the piecewise
// activations (LeakyRelu, HardSigmoid, HardSwish: branch-free Go) run
// their Go twins.
var archImpls = []levelImpl{
	{isa.NEON, impl{
		exp: arm64.VecExpNEON, tanh: purego.Tanh, sigmoid: arm64.VecSigmoidNEON,
		erf: purego.Erf, geluErf: purego.GeluErf, geluTanh: purego.GeluTanh,
		expShiftSum: arm64.VecExpShiftSumNEON, sum: arm64.VecSumNEON,
		sumSqDiff: arm64.VecSumSqDiffNEON, max: arm64.VecMaxNEON, binary: arm64.VecBinaryNEON,
		binaryScalar: arm64.VecBinaryScalarNEON,
		leakyRelu:    purego.LeakyRelu, hardSigmoid: purego.HardSigmoid, hardSwish: purego.HardSwish,
	}},
}

func hasAsm(l isa.Level) bool { return arm64.VecAsm && l == isa.NEON }
