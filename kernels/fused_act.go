package kernels

import (
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/sgemm"
	"github.com/nncc/nncc/kernels/vecmath"
)

// Activations of the fused ops (nncc.FusedGemm, nncc.FusedConv), applied
// to rows of the result while they are still in cache. Each computes what
// the float32 kernel of the ONNX op it replaces computes: the vectorised
// routines of kernels/vecmath of the session's level (a few ulp, see
// vecmath/accuracy.go and vecmath/vec_act.go).

// fusedAct is a parsed activation; the zero value is the identity.
type fusedAct struct {
	kind fusedActKind
	p    [2]float32        // parameters in ir.FusedActivations order
	vec  *vecmath.Routines // the session level's routines (nil: identity)
}

type fusedActKind uint8

const (
	faNone fusedActKind = iota
	faRelu
	faLeaky
	faSigmoid
	faTanh
	faClip
	faGelu
	faGeluTanh
	faHardSigmoid
	faHardSwish
	faElu
	faSoftplus
)

var fusedActKinds = map[string]fusedActKind{
	"Relu": faRelu, "LeakyRelu": faLeaky, "Sigmoid": faSigmoid, "Tanh": faTanh,
	"Clip": faClip, "Gelu": faGelu, "GeluTanh": faGeluTanh, "HardSigmoid": faHardSigmoid,
	"HardSwish": faHardSwish, "Elu": faElu, "Softplus": faSoftplus,
}

// parseFusedAct reads the "activation" and "activation_params" attributes.
func parseFusedAct(b *Build) (fusedAct, error) {
	a := b.Attrs()
	if err := ir.CheckFusedActivation(a); err != nil {
		return fusedAct{}, b.Errorf("%v", err)
	}
	name := a.String("activation", "")
	if name == "" {
		return fusedAct{}, nil
	}
	k, ok := fusedActKinds[name]
	if !ok {
		return fusedAct{}, b.Errorf("activation %q has no fused kernel", name)
	}
	f := fusedAct{kind: k, vec: b.Vec()}
	copy(f.p[:], a.Floats("activation_params", nil))
	return f, nil
}

// apply rewrites row in place.
func (f *fusedAct) apply(row []float32) {
	switch f.kind {
	case faNone:
	case faRelu:
		f.vec.Relu(row)
	case faLeaky:
		f.vec.LeakyRelu(row, f.p[0])
	case faSigmoid:
		f.vec.Sigmoid(row, row)
	case faTanh:
		f.vec.Tanh(row, row)
	case faClip:
		f.vec.Clip(row, f.p[0], f.p[1])
	case faGelu:
		f.vec.GeluErf(row, row)
	case faGeluTanh:
		f.vec.GeluTanh(row, row)
	case faHardSigmoid:
		f.vec.HardSigmoid(row, row, float64(f.p[0]), float64(f.p[1]))
	case faHardSwish:
		f.vec.HardSwish(row, row)
	case faElu:
		f.vec.Elu(row, row, f.p[0])
	case faSoftplus:
		f.vec.Softplus(row, row)
	}
}

// inRegisters reports whether the SGEMM micro-kernel can apply f itself.
func (f *fusedAct) inRegisters() (sgemm.Activation, bool) {
	switch f.kind {
	case faNone:
		return sgemm.ActNone, true
	case faRelu:
		return sgemm.ActReLU, true
	}
	return sgemm.ActNone, false
}

// fusedF32Build checks at build time that the first n inputs of a fused
// op (named op) are float32 where their dtype is known.
func fusedF32Build(b *Build, n int, op string) error {
	for i := range n {
		if dt := b.InDType(i); dt != ir.Undefined && dt != ir.Float32 {
			return b.Errorf("input %d has dtype %v; %s computes in float32 only", i, dt, op)
		}
	}
	return nil
}

// fusedF32Run checks at run time that every present input of a fused op
// (named op) is float32.
func fusedF32Run(c *Ctx, in []*ir.Tensor, op string) error {
	for i, t := range in {
		if t != nil && t.DType != ir.Float32 {
			return c.Errorf("input %d has dtype %v; %s computes in float32 only", i, t.DType, op)
		}
	}
	return nil
}
