package vecmath

import (
	"github.com/nncc/nncc/kernels/arm64"
	"github.com/nncc/nncc/kernels/isa"
)

// archImpls is the NEON row: assembly for every routine (exp, tanh,
// sigmoid, erf, the GELUs, the softmax pass, reductions, binary ops and
// the piecewise activations LeakyRelu, HardSigmoid, HardSwish).
var archImpls = []levelImpl{
	{isa.NEON, impl{
		exp: arm64.VecExpNEON, tanh: arm64.VecTanhNEON, sigmoid: arm64.VecSigmoidNEON,
		erf: arm64.VecErfNEON, geluErf: arm64.VecGeluErfNEON, geluTanh: arm64.VecGeluTanhNEON,
		expShiftSum: arm64.VecExpShiftSumNEON, sum: arm64.VecSumNEON,
		sumSqDiff: arm64.VecSumSqDiffNEON, max: arm64.VecMaxNEON, binary: arm64.VecBinaryNEON,
		binaryScalar: arm64.VecBinaryScalarNEON,
		leakyRelu:    arm64.VecLeakyReluNEON, hardSigmoid: arm64.VecHardSigmoidNEON,
		hardSwish: arm64.VecHardSwishNEON,
	}},
}

func hasAsm(l isa.Level) bool { return arm64.VecAsm && l == isa.NEON }
