package kernels

import "github.com/nncc/nncc/kernels/vecmath"

// ewUnaryVec runs a float32 unary op with the vectorised routines of
// kernels/vecmath of the level the node was built for (p.vec: AVX-512,
// AVX2 or NEON, Go twins otherwise) and reports whether it handled op.
// Their error bounds (a few ulp; see vecmath/accuracy.go and
// vecmath/vec_act.go) are far inside the ONNX tolerances. LeakyRelu is
// exact; HardSigmoid, HardSwish and Softsign round the same float64
// formula as ewUnaryF.
func ewUnaryVec(op ewUOp, p *ewUParams, x, y []float32) bool {
	v := p.vec
	switch op {
	case ewExp:
		v.Exp(y, x)
	case ewTanh:
		v.Tanh(y, x)
	case ewSigmoid:
		v.Sigmoid(y, x)
	case ewErf:
		v.Erf(y, x)
	case ewGelu:
		if p.tanh {
			v.GeluTanh(y, x)
		} else {
			v.GeluErf(y, x)
		}
	case ewRelu:
		v.BinaryScalar(vecmath.MaxOp, y, x, 0)
	case ewLeaky:
		v.LeakyReluTo(y, x, float32(p.alpha))
	case ewElu:
		v.Elu(y, x, float32(p.alpha))
	case ewSelu:
		v.Selu(y, x, float32(p.alpha), float32(p.gamma))
	case ewCelu:
		v.Celu(y, x, float32(p.alpha))
	case ewSoftplus:
		v.Softplus(y, x)
	case ewMish:
		v.Mish(y, x)
	case ewHardSigmoid:
		v.HardSigmoid(y, x, p.alpha, p.beta)
	case ewHardSwish:
		v.HardSwish(y, x)
	case ewSoftsign:
		v.Softsign(y, x)
	default:
		return false
	}
	return true
}

// ewUnaryF32 is ewUnaryF for float32, taking the vectorised path when
// there is one.
func ewUnaryF32(op ewUOp, p *ewUParams, x, y []float32) {
	if !ewUnaryVec(op, p, x, y[:len(x)]) {
		ewUnaryF(op, p, x, y)
	}
}
