package kernels

import (
	"fmt"
	"math"

	"github.com/nncc/nncc/ir"
)

// Float64 staging used by the advanced ops (Attention, Resize, GridSample,
// the signal ops, ...): these reference kernels read their numeric inputs
// once into []float64, compute in double precision, and round once when
// writing the output. The names carry an "adv" prefix because package
// kernels is shared with other op groups.

// advFloats returns the elements of a numeric tensor as float64 (bool is 0/1).
func advFloats(t *ir.Tensor) ([]float64, error) {
	out := make([]float64, t.Len())
	if err := advFloatsInto(out, t); err != nil {
		return nil, err
	}
	return out, nil
}

// advFloatsInto is advFloats into dst, which has t.Len() elements.
func advFloatsInto(dst []float64, t *ir.Tensor) error {
	switch s := t.Data.(type) {
	case []float32:
		advWiden(dst, s)
	case []float64:
		copy(dst, s)
	case []ir.F16:
		for i, v := range s {
			dst[i] = float64(v.Float32())
		}
	case []ir.BF16:
		for i, v := range s {
			dst[i] = float64(v.Float32())
		}
	case []int8:
		if t.DType != ir.Int8 {
			return advErrType(t.DType)
		}
		advWiden(dst, s)
	case []int16:
		advWiden(dst, s)
	case []int32:
		advWiden(dst, s)
	case []int64:
		advWiden(dst, s)
	case []uint8:
		if t.DType != ir.Uint8 {
			return advErrType(t.DType)
		}
		advWiden(dst, s)
	case []uint16:
		advWiden(dst, s)
	case []uint32:
		advWiden(dst, s)
	case []uint64:
		advWiden(dst, s)
	case []bool:
		for i, v := range s {
			dst[i] = 0
			if v {
				dst[i] = 1
			}
		}
	default:
		return advErrType(t.DType)
	}
	return nil
}

func advErrType(dt ir.DType) error { return fmt.Errorf("unsupported element type %v", dt) }

type advReal interface {
	float32 | float64 | int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64
}

// advWiden converts s into dst (of the same length).
func advWiden[T advReal](dst []float64, s []T) {
	dst = dst[:len(s)]
	for i, v := range s {
		dst[i] = float64(v)
	}
}

// advStore writes v into t (same element count), rounding to t's dtype.
// Integer outputs are rounded to nearest (ties to even) and saturated.
func advStore(t *ir.Tensor, v []float64) error {
	switch s := t.Data.(type) {
	case []float32:
		for i := range s {
			s[i] = float32(v[i])
		}
	case []float64:
		copy(s, v)
	case []ir.F16:
		for i := range s {
			s[i] = ir.NewFloat16(float32(v[i]))
		}
	case []ir.BF16:
		for i := range s {
			s[i] = ir.NewBFloat16(float32(v[i]))
		}
	case []int8:
		advStoreInt(s, v, math.MinInt8, math.MaxInt8, math.MaxInt8)
	case []int16:
		advStoreInt(s, v, math.MinInt16, math.MaxInt16, math.MaxInt16)
	case []int32:
		advStoreInt(s, v, math.MinInt32, math.MaxInt32, math.MaxInt32)
	case []int64:
		advStoreInt(s, v, math.MinInt64, math.MaxInt64, math.MaxInt64)
	case []uint8:
		advStoreInt(s, v, 0, math.MaxUint8, math.MaxUint8)
	case []uint16:
		advStoreInt(s, v, 0, math.MaxUint16, math.MaxUint16)
	case []uint32:
		advStoreInt(s, v, 0, math.MaxUint32, math.MaxUint32)
	case []uint64:
		advStoreInt(s, v, 0, math.MaxUint64, math.MaxUint64)
	case []bool:
		for i := range s {
			s[i] = v[i] != 0
		}
	default:
		return fmt.Errorf("unsupported output element type %v", t.DType)
	}
	return nil
}

func advStoreInt[T int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64](s []T, v []float64, lo, hi float64, maxV T) {
	for i := range s {
		x := math.RoundToEven(v[i])
		switch {
		case math.IsNaN(x):
			s[i] = 0
		case x <= lo:
			s[i] = T(lo)
		case x >= hi:
			s[i] = maxV
		default:
			s[i] = T(x)
		}
	}
}

// advRound rounds x to the precision of the float dtype d (identity for
// float64 and for non-float types).
func advRound(d ir.DType, x float64) float64 {
	switch d {
	case ir.Float32:
		return float64(float32(x))
	case ir.Float16:
		return float64(ir.NewFloat16(float32(x)).Float32())
	case ir.BFloat16:
		return float64(ir.NewBFloat16(float32(x)).Float32())
	}
	return x
}

// advIsFloat reports whether d is one of the four ordinary float types.
func advIsFloat(d ir.DType) bool {
	return d == ir.Float32 || d == ir.Float64 || d == ir.Float16 || d == ir.BFloat16
}

// advInts returns an integer tensor's values, or an error naming what.
func advInts(t *ir.Tensor, what string) ([]int64, error) {
	v, err := t.Int64s()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", what, err)
	}
	return v, nil
}

// advWants reports whether the node has a (non-omitted) output i.
func advWants(c *Ctx, i int) bool {
	if i >= c.NumOutputs() {
		return false
	}
	return c.Node == nil || c.Node.Out(i) != nil
}
