package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// ConvInteger and QLinearConv: convolutions of 8-bit integers with zero
// points, accumulated in int32. The zero points are subtracted before
// padding, so padded taps contribute 0 (padding with the zero point).

func init() {
	Register("", "ConvInteger", buildConvInteger)
	Register("", "QLinearConv", buildQLinearConv)
}

// nnInt32s widens an int8/uint8/int32 tensor to int32.
func nnInt32s(c *Ctx, t *ir.Tensor, name string) ([]int32, error) {
	switch s := t.Data.(type) {
	case []int8:
		return nnConvertSlice[int8, int32](s), nil
	case []uint8:
		if t.DType != ir.Uint8 {
			break
		}
		return nnConvertSlice[uint8, int32](s), nil
	case []int32:
		return s, nil
	}
	return nil, c.Errorf("input %s has dtype %v, expected int8 or uint8", name, t.DType)
}

// subZeroPoint returns v - zp, where zp is per tensor (one value) or per
// channel (channels values, each applying to a block of len(v)/channels).
func subZeroPoint(c *Ctx, v []int32, zp *ir.Tensor, channels int, name string) ([]int32, error) {
	out := make([]int32, len(v))
	copy(out, v)
	if zp == nil {
		return out, nil
	}
	z, err := nnInt32s(c, zp, name)
	if err != nil {
		return nil, err
	}
	switch {
	case len(z) == 1:
		for i := range out {
			out[i] -= z[0]
		}
	case len(z) == channels && channels > 0:
		blk := len(v) / channels
		for i := range out {
			out[i] -= z[i/blk]
		}
	default:
		return nil, c.Errorf("zero point %s has %d values, expected 1 or %d", name, len(z), channels)
	}
	return out, nil
}

// convInt32 runs the integer convolution of x by w (both with zero points
// removed) plus an optional int32 bias.
func convInt32(c *Ctx, spec *convSpec, x, w *ir.Tensor, xv, wv, bias []int32) (*convGeom, []int32, error) {
	g, err := spec.geom(c, x.Shape, w.Shape, false)
	if err != nil {
		return nil, nil, err
	}
	if bias != nil && len(bias) != g.m {
		return nil, nil, c.Errorf("bias has %d values, expected %d", len(bias), g.m)
	}
	y := make([]int32, g.n*g.m*g.outSize)
	convCompute(g, xv, wv, bias, y)
	return g, y, nil
}

func buildConvInteger(b *Build) (Func, error) {
	spec, err := newConvSpec(b)
	if err != nil {
		return nil, err
	}
	exact := newConvIntAcc(b, spec, 1, 3)
	return func(c *Ctx, in []*ir.Tensor) error {
		x, w := in[0], in[1]
		if x == nil || w == nil {
			return c.Errorf("inputs x and w are required")
		}
		get := func(i int) *ir.Tensor {
			if i < len(in) {
				return in[i]
			}
			return nil
		}
		if exact != nil && sameShape(w.Shape, exact.ws) {
			if done, err := convIntegerExact(c, spec, exact, x, w, get(2)); done || err != nil {
				return err
			}
		}
		xv, err := nnInt32s(c, x, "x")
		if err != nil {
			return err
		}
		wv, err := nnInt32s(c, w, "w")
		if err != nil {
			return err
		}
		if xv, err = subZeroPoint(c, xv, get(2), 0, "x_zero_point"); err != nil {
			return err
		}
		if wv, err = subZeroPoint(c, wv, get(3), int(w.Shape[0]), "w_zero_point"); err != nil {
			return err
		}
		g, y, err := convInt32(c, spec, x, w, xv, wv, nil)
		if err != nil {
			return err
		}
		out, err := c.OutputUninit(0, ir.Int32, g.outShape())
		if err != nil {
			return err
		}
		copy(out.Data.([]int32), y)
		return nil
	}, nil
}

func buildQLinearConv(b *Build) (Func, error) {
	spec, err := newConvSpec(b)
	if err != nil {
		return nil, err
	}
	exact := newConvIntAcc(b, spec, 3, 5)
	return func(c *Ctx, in []*ir.Tensor) error {
		for i := range 8 {
			if in[i] == nil && i != 2 && i != 5 && i != 7 {
				return c.Errorf("input %d is required", i)
			}
		}
		x, w := in[0], in[3]
		var bias []int32
		if len(in) > 8 && in[8] != nil {
			if in[8].DType != ir.Int32 {
				return c.Errorf("bias B must be int32, got %v", in[8].DType)
			}
			bias = in[8].Data.([]int32)
		}
		g, acc, err := qlinearConvExact(c, spec, exact, x, w, in[2], bias)
		if err != nil {
			return err
		}
		if acc == nil {
			xv, err := nnInt32s(c, x, "x")
			if err != nil {
				return err
			}
			wv, err := nnInt32s(c, w, "w")
			if err != nil {
				return err
			}
			if xv, err = subZeroPoint(c, xv, in[2], 0, "x_zero_point"); err != nil {
				return err
			}
			if wv, err = subZeroPoint(c, wv, in[5], int(w.Shape[0]), "w_zero_point"); err != nil {
				return err
			}
			if g, acc, err = convInt32(c, spec, x, w, xv, wv, bias); err != nil {
				return err
			}
		}
		xs, ok1 := nnReadF32(in[1])
		ws, ok2 := nnReadF32(in[4])
		ys, ok3 := nnReadF32(in[6])
		if !ok1 || !ok2 || !ok3 || len(xs) != 1 || len(ys) != 1 || (len(ws) != 1 && len(ws) != g.m) {
			return c.Errorf("scales must be float scalars (w_scale may be per output channel)")
		}
		odt := x.DType
		var zp float64
		if in[7] != nil {
			odt = in[7].DType
			z, ok := qScalarZP(in[7])
			if !ok {
				return c.Errorf("y_zero_point must be an 8-bit scalar")
			}
			zp = float64(z)
		}
		lo, hi, _ := nnQuantRange(odt)
		out, err := c.OutputUninit(0, odt, g.outShape())
		if err != nil {
			return err
		}
		for i, a := range acc {
			m := (i / g.outSize) % g.m
			wsc := ws[0]
			if len(ws) > 1 {
				wsc = ws[m]
			}
			f := float64(xs[0] * wsc / ys[0])
			v := math.RoundToEven(math.Max(lo, math.Min(hi, float64(a)*f+zp)))
			nnStoreInt(out.Data, i, int64(v))
		}
		return nil
	}, nil
}

// convIntegerExact runs ConvInteger through the exact float path (done
// false: the geometry needs the generic loops).
func convIntegerExact(c *Ctx, spec *convSpec, k *convIntAcc, x, w, xzp *ir.Tensor) (bool, error) {
	xz, ok := qScalarZP(xzp)
	if !ok || (xzp != nil && xzp.DType != x.DType) {
		return false, nil
	}
	g, err := spec.geom(c, x.Shape, w.Shape, false)
	if err != nil {
		return true, err
	}
	if g.layout() == nil {
		return false, nil
	}
	out, err := c.OutputUninit(0, ir.Int32, g.outShape())
	if err != nil {
		return true, err
	}
	return k.run(c, g, x, xz, out.Data.([]int32))
}

// qlinearConvExact computes QLinearConv's int32 accumulator (plus bias)
// through the exact float path into the step's int64 scratch; acc is nil
// when that path does not apply (the caller runs the generic loops).
func qlinearConvExact(c *Ctx, spec *convSpec, k *convIntAcc, x, w, xzp *ir.Tensor, bias []int32) (*convGeom, []int32, error) {
	if k == nil || !sameShape(w.Shape, k.ws) {
		return nil, nil, nil
	}
	xz, ok := qScalarZP(xzp)
	if !ok || (xzp != nil && xzp.DType != x.DType) {
		return nil, nil, nil
	}
	g, err := spec.geom(c, x.Shape, w.Shape, false)
	if err != nil {
		return nil, nil, err
	}
	if g.layout() == nil {
		return nil, nil, nil
	}
	if bias != nil && len(bias) != g.m {
		return nil, nil, c.Errorf("bias has %d values, expected %d", len(bias), g.m)
	}
	n := g.n * g.m * g.outSize
	acc := qI32View64(c.ScratchI64((n + 1) / 2))[:n]
	if done, err := k.run(c, g, x, xz, acc); !done || err != nil {
		return nil, nil, err
	}
	if bias != nil {
		for i := range acc {
			acc[i] += bias[(i/g.outSize)%g.m]
		}
	}
	return g, acc, nil
}
