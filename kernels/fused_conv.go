package kernels

import (
	"github.com/nncc/nncc/ir"
)

// nncc.FusedConv: Y = act(Conv(X, W, B) + R), float32 only, with every
// Conv attribute (auto_pad, pads, strides, dilations, group, kernel_shape;
// any number of spatial axes).
//
// It is the float32 Conv kernel (conv.go) built with the activation and
// given the residual: the bias and R initialise the output that the
// product accumulates onto, ReLU is applied in the SGEMM micro-kernel's
// registers, and other activations run over each (image, group) block
// right after its product — no separate pass over the whole output.

func init() { Register(ir.FusedDomain, "FusedConv", buildFusedConv) }

func buildFusedConv(b *Build) (Func, error) {
	act, err := parseFusedAct(b)
	if err != nil {
		return nil, err
	}
	if err := fusedF32Build(b, 4, "FusedConv"); err != nil {
		return nil, err
	}
	cb := *b
	cb.InTypes = b.InTypes[:min(len(b.InTypes), 3)]
	k, err := newConvKernel(&cb, act)
	if err != nil {
		return nil, err
	}
	return func(c *Ctx, in []*ir.Tensor) error { return runFusedConv(k, c, in) }, nil
}

func runFusedConv(k *convKernel, c *Ctx, in []*ir.Tensor) error {
	if err := fusedF32Run(c, in, "FusedConv"); err != nil {
		return err
	}
	if len(in) < 2 || in[0] == nil || in[1] == nil {
		return c.Errorf("inputs X and W are required")
	}
	res := tensorAt(in, 3)
	var rd []float32
	if res != nil {
		g, err := k.spec.geom(c, in[0].Shape, in[1].Shape, false)
		if err != nil {
			return err
		}
		if !sameShape(res.Shape, g.outShape()) {
			return c.Errorf("residual R has shape %v, expected %v", res.Shape, g.outShape())
		}
		rd = res.F32()
		if p := c.plannedF32(0); len(p) > 0 && len(rd) > 0 && &p[0] == &rd[0] {
			// The planner placed Y over R: keep a copy of R, which the
			// convolution is about to overwrite. (Not in the step's F32
			// scratch: Conv uses that. Today's planner never does this.)
			rd = append([]float32(nil), rd...)
		}
	}
	return k.run(c, in[:min(len(in), 3)], rd)
}

// plannedF32 returns the float32 data of output i's planned buffer, if any.
func (c *Ctx) plannedF32(i int) []float32 {
	if i < len(c.Planned) && c.Planned[i] != nil {
		if d, ok := c.Planned[i].Data.([]float32); ok {
			return d
		}
	}
	return nil
}
