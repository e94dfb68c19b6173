package kernels

import (
	"github.com/nncc/nncc/ir"
)

// Bitwise ops on integers: BitwiseAnd/Or/Xor/Not and BitShift (unsigned
// types; a shift by the type's width or more gives 0).

const (
	ewBitAnd uint8 = iota
	ewBitOr
	ewBitXor
	ewShl
	ewShr
)

func init() {
	for name, op := range map[string]uint8{"BitwiseAnd": ewBitAnd, "BitwiseOr": ewBitOr, "BitwiseXor": ewBitXor} {
		Register("", name, ewBuildBitwise(op))
	}
	Register("", "BitShift", func(b *Build) (Func, error) {
		switch d := b.Attrs().String("direction", ""); d {
		case "LEFT":
			return ewBuildBitwise(ewShl)(b)
		case "RIGHT":
			return ewBuildBitwise(ewShr)(b)
		default:
			return nil, b.Errorf("direction must be \"LEFT\" or \"RIGHT\", got %q", d)
		}
	})
}

func ewBuildBitwise(op uint8) Builder {
	return func(b *Build) (Func, error) {
		node := b.Node
		var pc ewPlanCache
		return func(c *Ctx, in []*ir.Tensor) error {
			if err := ewInputs(c, in, 2); err != nil {
				return err
			}
			x, y := in[0], in[1]
			if x.DType != y.DType {
				return c.Errorf("inputs have different dtypes %v and %v", x.DType, y.DType)
			}
			if op >= ewShl && !x.DType.Info().Unsigned {
				return c.Errorf("BitShift expects an unsigned integer type, got %v", x.DType)
			}
			bc, err := pc.plan(node, x.Shape, y.Shape)
			if err != nil {
				return c.Errorf("%v", err)
			}
			out, err := c.OutputUninit(0, x.DType, bc.Shape)
			if err != nil {
				return err
			}
			switch x.DType {
			case ir.Int8:
				ewBinRun(c, bc, ir.Data[int8](x), ir.Data[int8](y), ir.Data[int8](out), op, ewBits[int8])
			case ir.Int16:
				ewBinRun(c, bc, ir.Data[int16](x), ir.Data[int16](y), ir.Data[int16](out), op, ewBits[int16])
			case ir.Int32:
				ewBinRun(c, bc, ir.Data[int32](x), ir.Data[int32](y), ir.Data[int32](out), op, ewBits[int32])
			case ir.Int64:
				ewBinRun(c, bc, ir.Data[int64](x), ir.Data[int64](y), ir.Data[int64](out), op, ewBits[int64])
			case ir.Uint8:
				ewBinRun(c, bc, ir.Data[uint8](x), ir.Data[uint8](y), ir.Data[uint8](out), op, ewBits[uint8])
			case ir.Uint16:
				ewBinRun(c, bc, ir.Data[uint16](x), ir.Data[uint16](y), ir.Data[uint16](out), op, ewBits[uint16])
			case ir.Uint32:
				ewBinRun(c, bc, ir.Data[uint32](x), ir.Data[uint32](y), ir.Data[uint32](out), op, ewBits[uint32])
			case ir.Uint64:
				ewBinRun(c, bc, ir.Data[uint64](x), ir.Data[uint64](y), ir.Data[uint64](out), op, ewBits[uint64])
			default:
				return c.Errorf("dtype %v is not supported", x.DType)
			}
			return nil
		}, nil
	}
}

// ewBits is the bitwise family.
func ewBits[T ewInt](op uint8, k ewKind, a, b, o []T) {
	switch op {
	case ewBitAnd:
		ewGeneric(k, a, b, o, func(x, y T) T { return x & y })
	case ewBitOr:
		ewGeneric(k, a, b, o, func(x, y T) T { return x | y })
	case ewBitXor:
		ewGeneric(k, a, b, o, func(x, y T) T { return x ^ y })
	case ewShl:
		ewGeneric(k, a, b, o, func(x, y T) T { return x << uint64(y) })
	case ewShr:
		ewGeneric(k, a, b, o, func(x, y T) T { return x >> uint64(y) })
	default:
		panic("BUG: ewBits op")
	}
}
