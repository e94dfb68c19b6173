package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// Pow: base of a float type or int32/int64, exponent of any numeric type
// (Pow-12 on), result of the base's type. Float bases compute in float64
// with math.Pow. Integer bases with an integer exponent compute exactly
// (wrapping like repeated multiplication; a negative exponent gives the
// truncated reciprocal: 0 unless the base is ±1); with a float exponent
// they compute in float64 and truncate toward zero.

func init() { Register("", "Pow", ewBuildPow) }

func ewBuildPow(b *Build) (Func, error) {
	switch dt := b.InDType(0); dt {
	case ir.Undefined, ir.Float32, ir.Float64, ir.Float16, ir.BFloat16, ir.Int32, ir.Int64:
	default:
		return nil, b.Errorf("base dtype %v is not supported", dt)
	}
	node := b.Node
	var pc ewPlanCache
	return func(c *Ctx, in []*ir.Tensor) error {
		if err := ewInputs(c, in, 2); err != nil {
			return err
		}
		x, y := in[0], in[1]
		bc, err := pc.plan(node, x.Shape, y.Shape)
		if err != nil {
			return c.Errorf("%v", err)
		}
		out, err := c.OutputUninit(0, x.DType, bc.Shape)
		if err != nil {
			return err
		}
		return ewPow(c, bc, x, y, out)
	}, nil
}

func ewPow(c *Ctx, bc *Broadcast, x, y, out *ir.Tensor) error {
	// Half-precision exponents become float32.
	if ewIsHalf(y.DType) {
		y = &ir.Tensor{DType: ir.Float32, Shape: y.Shape, Data: ewToF32(y)}
	}
	switch x.DType {
	case ir.Float32:
		if y.DType == ir.Float32 {
			ewBinRun(c, bc, x.F32(), y.F32(), out.F32(), 0, ewPowF32)
			return nil
		}
		return ewPowExp(c, bc, x.F32(), y, out.F32())
	case ir.Float64:
		return ewPowExp(c, bc, ir.Data[float64](x), y, ir.Data[float64](out))
	case ir.Float16, ir.BFloat16:
		o := make([]float32, bc.Size)
		if err := ewPowExp(c, bc, ewToF32(x), y, o); err != nil {
			return err
		}
		ewFromF32(out, o)
		return nil
	case ir.Int32:
		return ewPowExp(c, bc, ir.Data[int32](x), y, ir.Data[int32](out))
	case ir.Int64:
		return ewPowExp(c, bc, ir.Data[int64](x), y, ir.Data[int64](out))
	}
	return c.Errorf("base dtype %v is not supported", x.DType)
}

// ewPowF32 is the float32 ^ float32 loop.
func ewPowF32(_ uint8, k ewKind, a, b, o []float32) {
	switch k {
	case ewVV:
		a, b = a[:len(o)], b[:len(o)]
		for i := range o {
			o[i] = float32(math.Pow(float64(a[i]), float64(b[i])))
		}
	case ewVS:
		a, s := a[:len(o)], float64(b[0])
		switch s {
		case 2:
			for i, v := range a {
				o[i] = v * v
			}
		case 0.5:
			for i, v := range a {
				o[i] = float32(math.Sqrt(float64(v)))
			}
		default:
			for i, v := range a {
				o[i] = float32(math.Pow(float64(v), s))
			}
		}
	case ewSV:
		s, b := float64(a[0]), b[:len(o)]
		for i := range o {
			o[i] = float32(math.Pow(s, float64(b[i])))
		}
	}
}

// ewPowExp dispatches on the exponent's dtype.
func ewPowExp[T ewNum](c *Ctx, bc *Broadcast, x []T, y *ir.Tensor, o []T) error {
	switch e := y.Data.(type) {
	case []float32:
		ewBinRun(c, bc, x, e, o, 0, ewPowLoop[T, float32])
	case []float64:
		ewBinRun(c, bc, x, e, o, 0, ewPowLoop[T, float64])
	case []int8:
		ewBinRun(c, bc, x, e, o, 0, ewPowLoop[T, int8])
	case []int16:
		ewBinRun(c, bc, x, e, o, 0, ewPowLoop[T, int16])
	case []int32:
		ewBinRun(c, bc, x, e, o, 0, ewPowLoop[T, int32])
	case []int64:
		ewBinRun(c, bc, x, e, o, 0, ewPowLoop[T, int64])
	case []uint8:
		if y.DType != ir.Uint8 {
			return c.Errorf("exponent dtype %v is not supported", y.DType)
		}
		ewBinRun(c, bc, x, e, o, 0, ewPowLoop[T, uint8])
	case []uint16:
		ewBinRun(c, bc, x, e, o, 0, ewPowLoop[T, uint16])
	case []uint32:
		ewBinRun(c, bc, x, e, o, 0, ewPowLoop[T, uint32])
	case []uint64:
		ewBinRun(c, bc, x, e, o, 0, ewPowLoop[T, uint64])
	default:
		return c.Errorf("exponent dtype %v is not supported", y.DType)
	}
	return nil
}

func ewPowLoop[T, E ewNum](_ uint8, k ewKind, a []T, b []E, o []T) {
	ewGeneric(k, a, b, o, ewPowScalar[T, E])
}

// ewPowScalar computes x^y in T.
func ewPowScalar[T, E ewNum](x T, y E) T {
	half := 0.5
	baseFloat := T(half) != 0
	expFloat := E(half) != 0
	if baseFloat || expFloat {
		r := math.Pow(float64(x), float64(y))
		if baseFloat {
			return T(r)
		}
		return T(floatToInt64(r))
	}
	// Integer ^ integer.
	var zero E
	if y < zero {
		switch {
		case x == 1:
			return 1
		case int64(x) == -1:
			if int64(y)%2 == 0 {
				return 1
			}
			return x
		case x == 0:
			return 0 // division by zero: undefined, 0 like the other integer ops
		}
		return 0
	}
	result := T(1)
	base := x
	n := uint64(y)
	for n > 0 {
		if n&1 == 1 {
			result *= base
		}
		base *= base
		n >>= 1
	}
	return result
}
