package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// SwiGLU (opset 28).

func init() {
	Register("", "SwiGLU", buildSwiGLU)
}

// buildSwiGLU: Y = A · sigmoid(alpha·A) · B, A and B of identical shape.
func buildSwiGLU(b *Build) (Func, error) {
	alpha := float64(b.Attrs().Float("alpha", 1))
	for i := 0; i < 2; i++ {
		if dt := b.InDType(i); dt != ir.Undefined && !miscIsFloat(dt) {
			return nil, b.Errorf("input %d has dtype %v, expected a float type", i, dt)
		}
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		a, err := miscFloatInput(c, in, 0, "A")
		if err != nil {
			return err
		}
		bv, err := miscFloatInput(c, in, 1, "B")
		if err != nil {
			return err
		}
		if a.DType != bv.DType || !sameShape(a.Shape, bv.Shape) {
			return c.Errorf("A is %v%v but B is %v%v; they must match (no broadcasting)", a.DType, a.Shape, bv.DType, bv.Shape)
		}
		y, err := c.OutputUninit(0, a.DType, a.Shape)
		if err != nil {
			return err
		}
		switch ad := a.Data.(type) {
		case []float32:
			bd, yd := bv.F32(), y.F32()
			for i, v := range ad {
				g := float64(v)
				yd[i] = float32(g / (1 + math.Exp(-alpha*g)) * float64(bd[i]))
			}
		default:
			av, bb := miscLoad(a), miscLoad(bv)
			for i, g := range av {
				av[i] = g / (1 + math.Exp(-alpha*g)) * bb[i]
			}
			miscStore(y, av)
		}
		return nil
	}, nil
}
