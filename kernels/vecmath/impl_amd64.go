package vecmath

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// archImpls are the AVX-512 and AVX2 rows.
var archImpls = []levelImpl{
	{isa.AVX512, impl{
		exp: amd64.VecExpAVX512, tanh: amd64.VecTanhAVX512, sigmoid: amd64.VecSigmoidAVX512,
		erf: amd64.VecErfAVX512, geluErf: amd64.VecGeluErfAVX512, geluTanh: amd64.VecGeluTanhAVX512,
		expShiftSum: amd64.VecExpShiftSumAVX512, sum: amd64.VecSumAVX512,
		sumSqDiff: amd64.VecSumSqDiffAVX512, max: amd64.VecMaxAVX512, binary: amd64.VecBinaryAVX512,
		binaryScalar: amd64.VecBinaryScalarAVX512,
		leakyRelu:    amd64.VecLeakyReluAVX512, hardSigmoid: amd64.VecHardSigmoidAVX512,
		hardSwish: amd64.VecHardSwishAVX512,
	}},
	{isa.AVX2, impl{
		exp: amd64.VecExpAVX2, tanh: amd64.VecTanhAVX2, sigmoid: amd64.VecSigmoidAVX2,
		erf: amd64.VecErfAVX2, geluErf: amd64.VecGeluErfAVX2, geluTanh: amd64.VecGeluTanhAVX2,
		expShiftSum: amd64.VecExpShiftSumAVX2, sum: amd64.VecSumAVX2,
		sumSqDiff: amd64.VecSumSqDiffAVX2, max: amd64.VecMaxAVX2, binary: amd64.VecBinaryAVX2,
		binaryScalar: amd64.VecBinaryScalarAVX2,
		leakyRelu:    amd64.VecLeakyReluAVX2, hardSigmoid: amd64.VecHardSigmoidAVX2,
		hardSwish: amd64.VecHardSwishAVX2,
	}},
}

func hasAsm(l isa.Level) bool { return amd64.VecAsm && (l == isa.AVX2 || l == isa.AVX512) }
