package kernels

import (
	"github.com/nncc/nncc/ir"
)

// CumSum (opset 11, 14) and CumProd (opset 26): running sums and products
// along the axis given by input 1, optionally exclusive (the element itself
// is left out, so the first output is the identity) and reversed (running
// from the end of the axis).

func init() {
	Register("", "CumSum", buildCumulative(false))
	Register("", "CumProd", buildCumulative(true))
}

func buildCumulative(prod bool) Builder {
	return func(b *Build) (Func, error) {
		a := b.Attrs()
		exclusive := a.Int("exclusive", 0) != 0
		reverse := a.Int("reverse", 0) != 0
		return func(c *Ctx, in []*ir.Tensor) error {
			x := in[0]
			if x == nil || x.Kind != ir.KindTensor {
				return c.Errorf("input 0 (x) must be a tensor")
			}
			if in[1] == nil {
				return c.Errorf("input 1 (axis) is missing")
			}
			axis, err := rnScalarInt(in[1])
			if err != nil {
				return c.Errorf("input 1 (axis): %v", err)
			}
			if x.Rank() == 0 {
				return c.Errorf("input 0 (x) must have rank >= 1")
			}
			ax, err := ir.NormAxis(axis, x.Rank())
			if err != nil {
				return c.Errorf("input 1 (axis): %v", err)
			}
			outer, n, inner := rnOuterInner(x.Shape, ax)
			y, err := c.OutputUninit(0, x.DType, x.Shape)
			if err != nil {
				return err
			}
			g := cumGeom{outer, n, inner, exclusive, reverse, prod}
			switch xs := x.Data.(type) {
			case []float32:
				cumFloat(g, xs, y.Data.([]float32))
			case []float64:
				cumFloat(g, xs, y.Data.([]float64))
			case []ir.F16:
				cumFloat(g, xs, y.Data.([]ir.F16))
			case []ir.BF16:
				cumFloat(g, xs, y.Data.([]ir.BF16))
			case []int8:
				cumInt(g, xs, y.Data.([]int8))
			case []int16:
				cumInt(g, xs, y.Data.([]int16))
			case []int32:
				cumInt(g, xs, y.Data.([]int32))
			case []int64:
				cumInt(g, xs, y.Data.([]int64))
			case []uint8:
				cumInt(g, xs, y.Data.([]uint8))
			case []uint16:
				cumInt(g, xs, y.Data.([]uint16))
			case []uint32:
				cumInt(g, xs, y.Data.([]uint32))
			case []uint64:
				cumInt(g, xs, y.Data.([]uint64))
			default:
				return c.Errorf("input 0 (x): unsupported dtype %v", x.DType)
			}
			return nil
		}, nil
	}
}

type cumGeom struct {
	outer, n, inner    int
	exclusive, reverse bool
	prod               bool
}

// lanes calls fn for every lane along the axis with the offsets of its
// elements in scan order.
func (g cumGeom) lanes(fn func(start, step int)) {
	for o := 0; o < g.outer; o++ {
		for j := 0; j < g.inner; j++ {
			start, step := o*g.n*g.inner+j, g.inner
			if g.reverse {
				start, step = start+(g.n-1)*g.inner, -g.inner
			}
			fn(start, step)
		}
	}
}

func cumFloat[T rnFloat](g cumGeom, x, y []T) {
	g.lanes(func(p, step int) {
		acc := 0.0
		if g.prod {
			acc = 1
		}
		for k := 0; k < g.n; k, p = k+1, p+step {
			v := rnGet(x[p])
			if !g.exclusive {
				acc = cumApplyF(g.prod, acc, v)
			}
			y[p] = rnPut[T](acc)
			if g.exclusive {
				acc = cumApplyF(g.prod, acc, v)
			}
		}
	})
}

func cumApplyF(prod bool, acc, v float64) float64 {
	if prod {
		return acc * v
	}
	return acc + v
}

func cumInt[T rnInt](g cumGeom, x, y []T) {
	g.lanes(func(p, step int) {
		var acc T
		if g.prod {
			acc = 1
		}
		for k := 0; k < g.n; k, p = k+1, p+step {
			v := x[p]
			if !g.exclusive {
				if g.prod {
					acc *= v
				} else {
					acc += v
				}
			}
			y[p] = acc
			if g.exclusive {
				if g.prod {
					acc *= v
				} else {
					acc += v
				}
			}
		}
	})
}
