package passes

import (
	"github.com/nncc/nncc/ir"
)

func init() {
	goldenCases = append(goldenCases,
		goldenCase{"integer_float", "integer-float", buildIntegerFloat},
		goldenCase{"half_float", "half-float", buildHalfFloat})
}

// buildIntegerFloat: dynamic quantization's ConvInteger → Cast and
// MatMulInteger → Cast with constant int8 weights (per-channel zero point
// for the conv), and two forms that must stay: an integer product read as
// int32 (its Cast is to int64) and one whose weights are an input.
func buildIntegerFloat() *ir.Graph {
	b := newGB("integer_float")
	x := b.input("x", ir.TensorType(ir.Uint8, 1, 2, 4, 4))
	xz := b.input("xz", ir.TensorType(ir.Uint8))
	w := b.constant("w", ir.FromSlice([]int8{1, -2, 3, -4, 5, -6, 7, -8, 9, -1, 2, -3, 4, -5, 6, -7}, 2, 2, 2, 2))
	wz := b.constant("wz", ir.FromSlice([]int8{1, -1}, 2))
	ci := b.op("ConvInteger", nil, 1, x, w, xz, wz)[0]
	cf := b.op("Cast", ir.Attrs{"to": intAttr("to", int64(ir.Float32))}, 1, ci)[0]

	a := b.input("a", ir.TensorType(ir.Int8, 3, 4))
	m := b.constant("m", ir.FromSlice([]int8{1, 2, 3, -4, -5, 6, 7, 8}, 4, 2))
	mi := b.op("MatMulInteger", nil, 1, a, m)[0]
	mf := b.op("Cast", ir.Attrs{"to": intAttr("to", int64(ir.Float32))}, 1, mi)[0]

	// Kept: the int32 result widened to int64, not converted to float.
	mi2 := b.op("MatMulInteger", nil, 1, a, m)[0]
	keep := b.op("Cast", ir.Attrs{"to": intAttr("to", int64(ir.Int64))}, 1, mi2)[0]
	// Kept: weights that are not constants.
	wv := b.input("wv", ir.TensorType(ir.Int8, 4, 2))
	mi3 := b.op("MatMulInteger", nil, 1, a, wv)[0]
	keep2 := b.op("Cast", ir.Attrs{"to": intAttr("to", int64(ir.Float32))}, 1, mi3)[0]
	return b.output(cf, mf, keep, keep2)
}

// buildHalfFloat: a float16 region (a Conv with constant weights and
// bias, a Relu, a Conv whose weights are an input, an Add of another
// input) computed in float32 between Casts, with the first Conv's output
// also a graph output (cast back under its name); a lone float16 Relu
// (widened too: its float16 kernel would convert value by value); and a
// lone Transpose, which moves float16 values as they are (kept).
func buildHalfFloat() *ir.Graph {
	b := newGB("half_float")
	x := b.input("x", ir.TensorType(ir.Float16, 1, 2, 5, 5))
	wv := make([]ir.F16, 3*2*3*3)
	for i := range wv {
		wv[i] = ir.NewFloat16(float32(i%7-3) / 4)
	}
	w := b.constant("w", ir.FromSlice(wv, 3, 2, 3, 3))
	bias := b.constant("bias", ir.FromSlice([]ir.F16{ir.NewFloat16(0.5), ir.NewFloat16(-1), ir.NewFloat16(2)}, 3))
	y := b.op("Conv", ir.Attrs{"pads": intsAttr("pads", 1, 1, 1, 1)}, 1, x, w, bias)[0]
	r := b.op("Relu", nil, 1, y)[0]
	w2 := b.input("w2", ir.TensorType(ir.Float16, 3, 3, 1, 1))
	y2 := b.op("Conv", nil, 1, r, w2)[0]
	z := b.input("z", ir.TensorType(ir.Float16, 1, 3, 5, 5))
	sum := b.op("Add", nil, 1, y2, z)[0]
	moved := b.op("Transpose", nil, 1, b.input("u", ir.TensorType(ir.Float16, 2, 3)))[0]
	lone := b.op("Relu", nil, 1, b.input("v", ir.TensorType(ir.Float16, 4)))[0]
	return b.output(y, sum, moved, lone)
}
