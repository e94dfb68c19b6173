package passes

import "github.com/nncc/nncc/ir"

// This file's name sorts after layout_nchwc_golden_test.go, whose init
// copies layoutGoldenCases into goldenCases: appended here first, the case
// would run twice.
func init() {
	zeros := []goldenCase{{"layout_nchwc_concat_zeros", "layout-nchwc", buildLayoutConcatZeros}}
	layoutGoldenCases = append(layoutGoldenCases, zeros...)
	goldenCases = append(goldenCases, zeros...)
}

// buildLayoutConcatZeros: BlazeFace's residual blocks as tf2onnx writes
// them: a shortcut widened by zero channels, Concat(x, zeros) along the
// channels (24 + 4, inside the second block), added to a convolution of
// the same width; then zeros leading a Concat across a block boundary
// (8 + 28), a 1×1 convolution, and a Concat with a constant that is not
// all zero, which still ends the region. Both zero Concats become
// nncc.ConcatNCHWc with absent inputs; the region does not leave the
// blocked layout until the last Concat.
func buildLayoutConcatZeros() *ir.Graph {
	b := newGB("concat_zeros")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.D(1), ir.D(3), ir.D(8), ir.D(8)}))
	w := func(name string, s ...int64) *ir.Value {
		n := ir.NumElements(s)
		return b.constant(name, ir.FromSlice(f32s(int(n), func(i int) float32 { return float32((i*37)%23-11) * 0.04 }), s...))
	}
	zeros := func(name string, c int64) *ir.Value {
		return b.constant(name, ir.FromSlice(make([]float32, c*64), 1, c, 8, 8))
	}
	pads := ir.Attrs{"pads": intsAttr("pads", 1, 1, 1, 1)}
	r1 := b.op("Relu", nil, 1, b.op("Conv", pads, 1, x, w("w1", 24, 3, 3, 3), w("b1", 24))[0])[0]
	wide := b.op("Concat", ir.Attrs{"axis": intAttr("axis", 1)}, 1, r1, zeros("pad4", 4))[0]
	c2 := b.op("Conv", pads, 1, r1, w("w2", 28, 24, 3, 3), w("b2", 28))[0]
	a := b.op("Relu", nil, 1, b.op("Add", nil, 1, c2, wide)[0])[0]
	lead := b.op("Concat", ir.Attrs{"axis": intAttr("axis", -3)}, 1, zeros("pad8", 8), a)[0]
	c3 := b.op("Conv", nil, 1, lead, w("w3", 16, 36, 1, 1))[0]
	ones := b.constant("ones", ir.FromSlice(f32s(2*64, func(int) float32 { return 1 }), 1, 2, 8, 8))
	tail := b.op("Concat", ir.Attrs{"axis": intAttr("axis", 1)}, 1, c3, ones)[0]
	return b.output(tail)
}
