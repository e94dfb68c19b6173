package passes

import "github.com/nncc/nncc/ir"

func init() {
	goldenCases = append(goldenCases, goldenCase{"half_float_ort", "half-float", buildHalfFloatORT})
}

// buildHalfFloatORT: where ONNX Runtime rounds a float16 model's values.
// A float32 input cast to float16 by the model feeds a Conv: the region
// reads the float32 input. A Transpose (which has a float16 kernel)
// between two widened Convs is isolated: it joins the region. Of two
// Concats of the second Conv and another input the model casts to
// float16, the one whose first operand is the Conv is isolated too (ONNX
// Runtime looks at the first operand only) and reads the float32 input;
// the other keeps its float16 kernel, so the Conv's result is rounded on
// its way in. The model's Cast of the Add after them to float32 is
// dropped (the Relu after it reads the float32 value); the Cast of the
// Sigmoid to a float32 graph output reads the float32 value; the Cast of
// an Add whose float16 value a Shape also reads stays on the rounded
// value. ONNX Runtime 1.30 runs this graph (optimisations disabled) with
// its Casts in the same places.
func buildHalfFloatORT() *ir.Graph {
	b := newGB("half_float_ort")
	f16 := func(shape ...int64) *ir.Value {
		d := make([]ir.F16, ir.NumElements(shape))
		for i := range d {
			d[i] = ir.NewFloat16(float32(i%5-2) / 4)
		}
		return b.constant("w"+itoa(len(b.g.Constants)), ir.FromSlice(d, shape...))
	}
	cast := func(v *ir.Value, to ir.DType) *ir.Value {
		return b.op("Cast", ir.Attrs{"to": intAttr("to", int64(to))}, 1, v)[0]
	}
	x := b.input("x", ir.TensorType(ir.Float32, 1, 2, 4, 4))
	c1 := b.op("Conv", nil, 1, cast(x, ir.Float16), f16(2, 2, 1, 1))[0]
	r1 := b.op("Relu", nil, 1, c1)[0]
	t := b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", 0, 1, 3, 2)}, 1, r1)[0]
	c2 := b.op("Conv", nil, 1, t, f16(2, 2, 1, 1))[0]
	u := cast(b.input("u", ir.TensorType(ir.Float32, 1, 2, 4, 4)), ir.Float16)
	axis := ir.Attrs{"axis": intAttr("axis", 1)}
	cat := b.op("Concat", axis, 1, c2, u)[0]
	cat2 := b.op("Concat", axis, 1, u, c2)[0]
	w2 := f16(2, 4, 1, 1)
	c3 := b.op("Add", nil, 1, b.op("Conv", nil, 1, cat, w2)[0], b.op("Conv", nil, 1, cat2, w2)[0])[0]
	sig := cast(b.op("Sigmoid", nil, 1, c3)[0], ir.Float32)
	after := b.op("Relu", nil, 1, cast(c3, ir.Float32))[0]
	a := b.op("Add", nil, 1, r1, c1)[0]
	shape := b.op("Shape", nil, 1, a)[0]
	return b.output(sig, after, cast(a, ir.Float32), shape)
}
