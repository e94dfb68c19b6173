package kernels

import (
	"cmp"

	"github.com/nncc/nncc/ir"
)

// Comparison (Equal, Less, LessOrEqual, Greater, GreaterOrEqual) and logic
// (And, Or, Xor, Not). Comparisons return bool tensors; NaN compares
// unequal and unordered, as IEEE says. Greater and GreaterOrEqual are Less
// and LessOrEqual with the operands swapped.

const (
	ewEq uint8 = iota
	ewLt
	ewLe
	ewGt
	ewGe
	ewAnd
	ewOr
	ewXor
)

func init() {
	for name, op := range map[string]uint8{"Equal": ewEq, "Less": ewLt, "LessOrEqual": ewLe,
		"Greater": ewGt, "GreaterOrEqual": ewGe, "And": ewAnd, "Or": ewOr, "Xor": ewXor} {
		Register("", name, ewBuildCompare(op))
	}
	Register("", "Not", ewBuildNot)
}

func ewBuildCompare(op uint8) Builder {
	return func(b *Build) (Func, error) {
		node := b.Node
		var pc ewPlanCache
		return func(c *Ctx, in []*ir.Tensor) error {
			if err := ewInputs(c, in, 2); err != nil {
				return err
			}
			a, x := in[0], in[1]
			if a.DType != x.DType {
				return c.Errorf("inputs have different dtypes %v and %v", a.DType, x.DType)
			}
			bc, err := pc.plan(node, a.Shape, x.Shape)
			if err != nil {
				return c.Errorf("%v", err)
			}
			out, err := c.OutputUninit(0, ir.Bool, bc.Shape)
			if err != nil {
				return err
			}
			return ewCompare(c, op, bc, a, x, out.Data.([]bool))
		}, nil
	}
}

// ewCompare computes o = a op b over the broadcast bc.
func ewCompare(c *Ctx, op uint8, bc *Broadcast, a, b *ir.Tensor, o []bool) error {
	if op >= ewAnd {
		if a.DType != ir.Bool {
			return c.Errorf("expects bool inputs, got %v", a.DType)
		}
		ewBinRun(c, bc, a.Data.([]bool), b.Data.([]bool), o, op, ewLogic)
		return nil
	}
	switch a.DType {
	case ir.Float32:
		ewBinRun(c, bc, a.F32(), b.F32(), o, op, ewCmp[float32])
	case ir.Float64:
		ewBinRun(c, bc, ir.Data[float64](a), ir.Data[float64](b), o, op, ewCmp[float64])
	case ir.Float16, ir.BFloat16:
		ewBinRun(c, bc, ewToF32(a), ewToF32(b), o, op, ewCmp[float32])
	case ir.Int8:
		ewBinRun(c, bc, ir.Data[int8](a), ir.Data[int8](b), o, op, ewCmp[int8])
	case ir.Int16:
		ewBinRun(c, bc, ir.Data[int16](a), ir.Data[int16](b), o, op, ewCmp[int16])
	case ir.Int32:
		ewBinRun(c, bc, ir.Data[int32](a), ir.Data[int32](b), o, op, ewCmp[int32])
	case ir.Int64:
		ewBinRun(c, bc, ir.Data[int64](a), ir.Data[int64](b), o, op, ewCmp[int64])
	case ir.Uint8:
		ewBinRun(c, bc, ir.Data[uint8](a), ir.Data[uint8](b), o, op, ewCmp[uint8])
	case ir.Uint16:
		ewBinRun(c, bc, ir.Data[uint16](a), ir.Data[uint16](b), o, op, ewCmp[uint16])
	case ir.Uint32:
		ewBinRun(c, bc, ir.Data[uint32](a), ir.Data[uint32](b), o, op, ewCmp[uint32])
	case ir.Uint64:
		ewBinRun(c, bc, ir.Data[uint64](a), ir.Data[uint64](b), o, op, ewCmp[uint64])
	case ir.String:
		ewBinRun(c, bc, a.Data.([]string), b.Data.([]string), o, op, ewCmp[string])
	case ir.Bool:
		if op != ewEq {
			return c.Errorf("dtype bool is not supported")
		}
		ewBinRun(c, bc, a.Data.([]bool), b.Data.([]bool), o, op, ewLogic)
	default:
		return c.Errorf("dtype %v is not supported", a.DType)
	}
	return nil
}

// ewSwap exchanges the roles of the operands of a run.
func ewSwap(k ewKind) ewKind {
	switch k {
	case ewVS:
		return ewSV
	case ewSV:
		return ewVS
	}
	return k
}

// ewCmp is the comparison family for ordered types.
func ewCmp[T cmp.Ordered](op uint8, k ewKind, a, b []T, o []bool) {
	switch op {
	case ewEq:
		switch k {
		case ewVV:
			a, b = a[:len(o)], b[:len(o)]
			for i := range o {
				o[i] = a[i] == b[i]
			}
		case ewVS:
			a, s := a[:len(o)], b[0]
			for i := range o {
				o[i] = a[i] == s
			}
		case ewSV:
			ewCmp(op, ewVS, b, a, o)
		}
	case ewLt:
		switch k {
		case ewVV:
			a, b = a[:len(o)], b[:len(o)]
			for i := range o {
				o[i] = a[i] < b[i]
			}
		case ewVS:
			a, s := a[:len(o)], b[0]
			for i := range o {
				o[i] = a[i] < s
			}
		case ewSV:
			s, b := a[0], b[:len(o)]
			for i := range o {
				o[i] = s < b[i]
			}
		}
	case ewLe:
		switch k {
		case ewVV:
			a, b = a[:len(o)], b[:len(o)]
			for i := range o {
				o[i] = a[i] <= b[i]
			}
		case ewVS:
			a, s := a[:len(o)], b[0]
			for i := range o {
				o[i] = a[i] <= s
			}
		case ewSV:
			s, b := a[0], b[:len(o)]
			for i := range o {
				o[i] = s <= b[i]
			}
		}
	case ewGt:
		ewCmp(ewLt, ewSwap(k), b, a, o)
	case ewGe:
		ewCmp(ewLe, ewSwap(k), b, a, o)
	default:
		panic("BUG: ewCmp op")
	}
}

// ewLogic is the bool family: And, Or, Xor, and Equal of bools.
func ewLogic(op uint8, k ewKind, a, b []bool, o []bool) {
	switch op {
	case ewAnd:
		ewGeneric(k, a, b, o, func(x, y bool) bool { return x && y })
	case ewOr:
		ewGeneric(k, a, b, o, func(x, y bool) bool { return x || y })
	case ewXor:
		ewGeneric(k, a, b, o, func(x, y bool) bool { return x != y })
	case ewEq:
		ewGeneric(k, a, b, o, func(x, y bool) bool { return x == y })
	default:
		panic("BUG: ewLogic op")
	}
}

func ewBuildNot(b *Build) (Func, error) {
	if dt := b.InDType(0); dt != ir.Undefined && dt != ir.Bool {
		return nil, b.Errorf("expects a bool input, got %v", dt)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		if err := ewInputs(c, in, 1); err != nil {
			return err
		}
		x := in[0]
		if x.DType != ir.Bool {
			return c.Errorf("expects a bool input, got %v", x.DType)
		}
		out, err := c.OutputUninit(0, ir.Bool, x.Shape)
		if err != nil {
			return err
		}
		s, d := x.Data.([]bool), out.Data.([]bool)
		for i, v := range s {
			d[i] = !v
		}
		return nil
	}, nil
}
