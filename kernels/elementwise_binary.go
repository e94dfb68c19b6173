package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// Binary arithmetic: Add, Sub, Mul, Div, Mod and the pairwise Max/Min that
// the variadic ops fold with. Division and modulo of integers by zero give
// 0 (the spec leaves them undefined; numpy does the same); integer
// division truncates toward zero as C does.

// Operation codes of the arithmetic family (the op argument of the loops).
const (
	ewAdd uint8 = iota
	ewSub
	ewMul
	ewDiv
	ewMax
	ewMin
	ewMod  // integer modulo with the divisor's sign (Mod fmod=0)
	ewFmod // remainder with the dividend's sign (Mod fmod=1)
)

var ewArithNames = map[string]uint8{"Add": ewAdd, "Sub": ewSub, "Mul": ewMul, "Div": ewDiv}

func init() {
	for name, op := range ewArithNames {
		Register("", name, ewBuildArith(op))
	}
	Register("", "Mod", ewBuildMod)
}

func ewBuildArith(op uint8) Builder {
	return func(b *Build) (Func, error) {
		if dt := b.InDType(0); dt != ir.Undefined && !ewArithDType(dt) {
			return nil, b.Errorf("dtype %v is not supported", dt)
		}
		return ewBinaryFunc(b.Node, op), nil
	}
}

func ewBuildMod(b *Build) (Func, error) {
	fmod := b.Attrs().Int("fmod", 0)
	if fmod != 0 && fmod != 1 {
		return nil, b.Errorf("fmod must be 0 or 1, got %d", fmod)
	}
	op := ewMod
	if fmod == 1 {
		op = ewFmod
	}
	if dt := b.InDType(0); dt.IsFloat() && op == ewMod {
		return nil, b.Errorf("fmod must be 1 for floating-point input (%v)", dt)
	}
	return ewBinaryFunc(b.Node, op), nil
}

func ewArithDType(dt ir.DType) bool {
	switch dt {
	case ir.Float32, ir.Float64, ir.Float16, ir.BFloat16, ir.Int8, ir.Int16, ir.Int32, ir.Int64,
		ir.Uint8, ir.Uint16, ir.Uint32, ir.Uint64:
		return true
	}
	return false
}

// ewBinaryFunc is the run-time half of a same-dtype arithmetic op.
func ewBinaryFunc(node *ir.Node, op uint8) Func {
	var pc ewPlanCache
	return func(c *Ctx, in []*ir.Tensor) error {
		if err := ewInputs(c, in, 2); err != nil {
			return err
		}
		a, b := in[0], in[1]
		if a.DType != b.DType {
			return c.Errorf("inputs have different dtypes %v and %v", a.DType, b.DType)
		}
		bc, err := pc.plan(node, a.Shape, b.Shape)
		if err != nil {
			return c.Errorf("%v", err)
		}
		out, err := c.OutputUninit(0, a.DType, bc.Shape)
		if err != nil {
			return err
		}
		return ewArith(c, op, bc, a, b, out)
	}
}

// ewArith computes out = a op b over the broadcast bc, for every numeric
// dtype.
func ewArith(c *Ctx, op uint8, bc *Broadcast, a, b, out *ir.Tensor) error {
	if op == ewMod && a.DType.IsFloat() {
		return c.Errorf("fmod must be 1 for floating-point input (%v)", a.DType)
	}
	switch a.DType {
	case ir.Float32:
		if ewSerial(c, bc.Size) && ewRowRepeatF32(op, bc, a.F32(), b.F32(), out.F32()) {
			return nil
		}
		ewBinRun(c, bc, a.F32(), b.F32(), out.F32(), op, ewArithF[float32])
	case ir.Float64:
		ewBinRun(c, bc, ir.Data[float64](a), ir.Data[float64](b), ir.Data[float64](out), op, ewArithF[float64])
	case ir.Float16, ir.BFloat16:
		o := make([]float32, bc.Size)
		ewBinRun(c, bc, ewToF32(a), ewToF32(b), o, op, ewArithF[float32])
		ewFromF32(out, o)
	case ir.Int8:
		ewBinRun(c, bc, ir.Data[int8](a), ir.Data[int8](b), ir.Data[int8](out), op, ewArithI[int8])
	case ir.Int16:
		ewBinRun(c, bc, ir.Data[int16](a), ir.Data[int16](b), ir.Data[int16](out), op, ewArithI[int16])
	case ir.Int32:
		ewBinRun(c, bc, ir.Data[int32](a), ir.Data[int32](b), ir.Data[int32](out), op, ewArithI[int32])
	case ir.Int64:
		ewBinRun(c, bc, ir.Data[int64](a), ir.Data[int64](b), ir.Data[int64](out), op, ewArithI[int64])
	case ir.Uint8:
		ewBinRun(c, bc, ir.Data[uint8](a), ir.Data[uint8](b), ir.Data[uint8](out), op, ewArithI[uint8])
	case ir.Uint16:
		ewBinRun(c, bc, ir.Data[uint16](a), ir.Data[uint16](b), ir.Data[uint16](out), op, ewArithI[uint16])
	case ir.Uint32:
		ewBinRun(c, bc, ir.Data[uint32](a), ir.Data[uint32](b), ir.Data[uint32](out), op, ewArithI[uint32])
	case ir.Uint64:
		ewBinRun(c, bc, ir.Data[uint64](a), ir.Data[uint64](b), ir.Data[uint64](out), op, ewArithI[uint64])
	default:
		return c.Errorf("dtype %v is not supported", a.DType)
	}
	return nil
}

// ewArithF is the arithmetic family for float32 and float64.
func ewArithF[T ewFloat](op uint8, k ewKind, a, b, o []T) {
	switch op {
	case ewAdd:
		switch k {
		case ewVV:
			a, b = a[:len(o)], b[:len(o)]
			for i := range o {
				o[i] = a[i] + b[i]
			}
		case ewVS:
			a, s := a[:len(o)], b[0]
			for i := range o {
				o[i] = a[i] + s
			}
		case ewSV:
			s, b := a[0], b[:len(o)]
			for i := range o {
				o[i] = s + b[i]
			}
		}
	case ewSub:
		switch k {
		case ewVV:
			a, b = a[:len(o)], b[:len(o)]
			for i := range o {
				o[i] = a[i] - b[i]
			}
		case ewVS:
			a, s := a[:len(o)], b[0]
			for i := range o {
				o[i] = a[i] - s
			}
		case ewSV:
			s, b := a[0], b[:len(o)]
			for i := range o {
				o[i] = s - b[i]
			}
		}
	case ewMul:
		switch k {
		case ewVV:
			a, b = a[:len(o)], b[:len(o)]
			for i := range o {
				o[i] = a[i] * b[i]
			}
		case ewVS:
			a, s := a[:len(o)], b[0]
			for i := range o {
				o[i] = a[i] * s
			}
		case ewSV:
			s, b := a[0], b[:len(o)]
			for i := range o {
				o[i] = s * b[i]
			}
		}
	case ewDiv:
		switch k {
		case ewVV:
			a, b = a[:len(o)], b[:len(o)]
			for i := range o {
				o[i] = a[i] / b[i]
			}
		case ewVS:
			a, s := a[:len(o)], b[0]
			for i := range o {
				o[i] = a[i] / s
			}
		case ewSV:
			s, b := a[0], b[:len(o)]
			for i := range o {
				o[i] = s / b[i]
			}
		}
	case ewMax:
		ewGeneric(k, a, b, o, ewMaxF[T])
	case ewMin:
		ewGeneric(k, a, b, o, ewMinF[T])
	case ewFmod:
		ewGeneric(k, a, b, o, func(x, y T) T { return T(math.Mod(float64(x), float64(y))) })
	default:
		panic("BUG: ewArithF op")
	}
}

// ewMaxF is numpy's maximum: NaN in either operand gives NaN.
func ewMaxF[T ewNum](x, y T) T {
	if x > y || x != x {
		return x
	}
	return y
}

// ewMinF is numpy's minimum: NaN in either operand gives NaN.
func ewMinF[T ewNum](x, y T) T {
	if x < y || x != x {
		return x
	}
	return y
}

// ewGeneric runs a scalar function over a run (for the less common ops,
// where a call per element is acceptable).
func ewGeneric[A, B, U any](k ewKind, a []A, b []B, o []U, f func(A, B) U) {
	switch k {
	case ewVV:
		a, b = a[:len(o)], b[:len(o)]
		for i := range o {
			o[i] = f(a[i], b[i])
		}
	case ewVS:
		a, s := a[:len(o)], b[0]
		for i := range o {
			o[i] = f(a[i], s)
		}
	case ewSV:
		s, b := a[0], b[:len(o)]
		for i := range o {
			o[i] = f(s, b[i])
		}
	}
}

// ewArithI is the arithmetic family for the integer types.
func ewArithI[T ewInt](op uint8, k ewKind, a, b, o []T) {
	switch op {
	case ewAdd:
		switch k {
		case ewVV:
			a, b = a[:len(o)], b[:len(o)]
			for i := range o {
				o[i] = a[i] + b[i]
			}
		case ewVS:
			a, s := a[:len(o)], b[0]
			for i := range o {
				o[i] = a[i] + s
			}
		case ewSV:
			s, b := a[0], b[:len(o)]
			for i := range o {
				o[i] = s + b[i]
			}
		}
	case ewSub:
		ewGeneric(k, a, b, o, func(x, y T) T { return x - y })
	case ewMul:
		switch k {
		case ewVV:
			a, b = a[:len(o)], b[:len(o)]
			for i := range o {
				o[i] = a[i] * b[i]
			}
		default:
			ewGeneric(k, a, b, o, func(x, y T) T { return x * y })
		}
	case ewDiv:
		ewGeneric(k, a, b, o, ewDivI[T])
	case ewMax:
		ewGeneric(k, a, b, o, ewMaxF[T])
	case ewMin:
		ewGeneric(k, a, b, o, ewMinF[T])
	case ewMod:
		ewGeneric(k, a, b, o, ewModI[T])
	case ewFmod:
		ewGeneric(k, a, b, o, ewRemI[T])
	default:
		panic("BUG: ewArithI op")
	}
}

// ewDivI divides truncating toward zero; x/0 is 0.
func ewDivI[T ewInt](x, y T) T {
	if y == 0 {
		return 0
	}
	return x / y
}

// ewRemI is C's remainder (sign of the dividend); x%0 is 0.
func ewRemI[T ewInt](x, y T) T {
	if y == 0 {
		return 0
	}
	return x % y
}

// ewModI is Python's modulo (sign of the divisor); x mod 0 is 0.
func ewModI[T ewInt](x, y T) T {
	if y == 0 {
		return 0
	}
	r := x % y
	var zero T
	if r != 0 && (r < zero) != (y < zero) {
		r += y
	}
	return r
}
