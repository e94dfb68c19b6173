package layers

import (
	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// Helpers writing an op in the form the builder's opset wants, where ONNX
// moved an attribute to an input.

// squeeze removes axes (attribute before opset 13, input from 13).
func squeeze(b *builder.Builder, x *builder.Value, axes ...int64) *builder.Value {
	if b.Opset("") >= 13 {
		return b.Squeeze(x, b.Int64s(axes...))
	}
	return b.Squeeze(x, builder.AttrAxes(axes...))
}

// unsqueeze inserts axes (attribute before opset 13, input from 13).
func unsqueeze(b *builder.Builder, x *builder.Value, axes ...int64) *builder.Value {
	if b.Opset("") >= 13 {
		return b.Unsqueeze(x, b.Int64s(axes...))
	}
	return b.Unsqueeze(x, builder.AttrAxes(axes...))
}

// reduceMean averages over axes keeping them (axes an input from opset 18).
func reduceMean(b *builder.Builder, x *builder.Value, axes ...int64) *builder.Value {
	if b.Opset("") >= 18 {
		return b.ReduceMean(x, b.Int64s(axes...), builder.AttrKeepdims(1))
	}
	return b.ReduceMean(x, builder.AttrAxes(axes...), builder.AttrKeepdims(1))
}

// reshape reshapes x to shape, where 0 copies x's dimension (shape an
// input from opset 5).
func reshape(b *builder.Builder, x *builder.Value, shape ...int64) *builder.Value {
	if b.Opset("") >= 5 {
		return b.Reshape(x, b.Int64s(shape...))
	}
	return b.Reshape(x, builder.AttrShape(shape...))
}

// transpose permutes x's axes.
func transpose(b *builder.Builder, x *builder.Value, perm ...int64) *builder.Value {
	return b.Transpose(x, builder.AttrPerm(perm...))
}

// dropout writes an inference-mode Dropout (an identity whoever runs it).
func dropout(b *builder.Builder, x *builder.Value, rate float64) *builder.Value {
	switch op := b.Opset(""); {
	case op >= 12:
		return b.Dropout(x, b.Scalar(ir.Float32, rate))[0]
	case op >= 7:
		return b.Dropout(x, builder.AttrRatio(float32(rate)))[0]
	default:
		return b.Dropout(x, builder.AttrRatio(float32(rate)), builder.AttrIsTest(1))[0]
	}
}

// sliceAxis takes x[start:end] along axis; end may be a value (a 1-D
// int64 of one element) when not known while building.
func sliceAxis(b *builder.Builder, x *builder.Value, axis, start int64, end *builder.Value) *builder.Value {
	if b.Opset("") >= 10 {
		return b.Slice(x, b.Int64s(start), end, b.Int64s(axis))
	}
	b.Errorf("Slice", "a slice with a computed end needs opset 10 or later (builder opset %d)", b.Opset(""))
	return b.Invalid()
}
