package builder

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// Const adds a constant (an initializer of the exported model) holding t,
// named after the current scope. t must not be changed afterwards.
func (b *Builder) Const(t *ir.Tensor) *Value { return b.NamedConst("const", t) }

// NamedConst is Const with a chosen name (made unique).
func (b *Builder) NamedConst(name string, t *ir.Tensor) *Value {
	if b.st.err != nil {
		return b.invalid()
	}
	if t == nil || !t.DType.Valid() {
		b.fail(fmt.Errorf("constant %q: nil tensor or invalid dtype", name))
		return b.invalid()
	}
	v := &ir.Value{Name: b.uniqueValue(b.scoped(name)), Type: ir.TypeOfTensor(t), Const: t}
	r := b.st.root
	r.g.Constants = append(r.g.Constants, v)
	return b.wrap(v)
}

// Int64s adds a 1-D int64 constant (shapes, axes, indices).
func (b *Builder) Int64s(v ...int64) *Value {
	return b.Const(ir.FromSlice(append([]int64{}, v...)))
}

// Float32s adds a float32 constant of the given shape (a scalar when shape
// is empty and v has one element).
func (b *Builder) Float32s(shape []int64, v ...float32) *Value {
	if ir.NumElements(shape) != len(v) {
		b.fail(fmt.Errorf("Float32s: %d values for shape %v", len(v), shape))
		return b.invalid()
	}
	return b.Const(&ir.Tensor{DType: ir.Float32, Shape: append([]int64{}, shape...), Data: append([]float32{}, v...)})
}

// Scalar adds a rank-0 constant of dtype dt holding v converted (a float
// for floating dtypes, an integer otherwise).
func (b *Builder) Scalar(dt ir.DType, v float64) *Value {
	var t *ir.Tensor
	switch dt {
	case ir.Float32:
		t = ir.Scalar(float32(v))
	case ir.Float64:
		t = ir.Scalar(v)
	case ir.Float16:
		t = ir.Scalar(ir.NewFloat16(float32(v)))
	case ir.BFloat16:
		t = ir.Scalar(ir.NewBFloat16(float32(v)))
	case ir.Int64:
		t = ir.Scalar(int64(v))
	case ir.Int32:
		t = ir.Scalar(int32(v))
	default:
		b.fail(fmt.Errorf("Scalar: dtype %v is not supported; use Const", dt))
		return b.invalid()
	}
	return b.Const(t)
}
