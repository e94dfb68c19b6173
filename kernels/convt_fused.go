package kernels

import (
	"github.com/nncc/nncc/ir"
)

// nncc.FusedConvTranspose: Y = act(ConvTranspose(X, W, B)), float32 only,
// with every ConvTranspose attribute.
//
// It is the float32 ConvTranspose kernel (convt_f32.go) built with the
// activation: ReLU is applied while Yᵀ is transposed into the planes with
// the bias (convTransposeEpi), other activations run over each group of
// output planes right after the col2im wrote them — while they are still
// in cache, with no separate pass over the whole output.

func init() { Register(ir.FusedDomain, "FusedConvTranspose", buildFusedConvTranspose) }

func buildFusedConvTranspose(b *Build) (Func, error) {
	act, err := parseFusedAct(b)
	if err != nil {
		return nil, err
	}
	if err := fusedF32Build(b, 3, "FusedConvTranspose"); err != nil {
		return nil, err
	}
	spec, err := newConvSpec(b)
	if err != nil {
		return nil, err
	}
	k := newConvTKernel(b, spec)
	k.act = act
	return func(c *Ctx, in []*ir.Tensor) error {
		if err := fusedF32Run(c, in, "FusedConvTranspose"); err != nil {
			return err
		}
		return k.runF32(c, in)
	}, nil
}
