package passes

import (
	"github.com/nncc/nncc/ir"
)

func init() {
	goldenCases = append(goldenCases, goldenCase{"fuse_hardswish", "hardswish", buildHardSwish})
}

// buildHardSwish: the hard-swish and hard-sigmoid forms exporters write
// without the ops: paddle2onnx's x·Clip(x+3, 0, 6)/6 with Clip-9
// attributes, x·(Clip(3+x, 0, 6)·(1/6)) with Clip-11 constant bounds,
// PyTorch's x·HardSigmoid(x, 1/6, 1/2), a lone hard sigmoid, and two
// forms that must stay: a Clip whose result has a second use and a
// Clip(x+3, 0, 6)/6 whose divisor would broadcast x to a larger rank.
func buildHardSwish() *ir.Graph {
	b := newGB("hardswish")
	x := b.input("x", ir.TensorType(ir.Float32, 2, 8))
	three := b.constant("three", scalarF(3))
	six := b.constant("six", scalarF(6))
	zero := b.constant("zero", scalarF(0))
	sixth := b.constant("sixth", scalarF(1.0/6))

	// paddle2onnx at opset 9: Clip's bounds are attributes.
	a := b.op("Add", nil, 1, x, three)[0]
	c := b.op("Clip", ir.Attrs{"min": floatAttr("min", 0), "max": floatAttr("max", 6)}, 1, a)[0]
	b.g.Nodes[len(b.g.Nodes)-1].Opset = 9
	m := b.op("Mul", nil, 1, x, c)[0]
	y1 := b.op("Div", nil, 1, m, six)[0]

	// x · (Clip(3 + y1, 0, 6) · 1/6), bounds as inputs.
	a2 := b.op("Add", nil, 1, three, y1)[0]
	c2 := b.op("Clip", nil, 1, a2, zero, six)[0]
	h2 := b.op("Mul", nil, 1, sixth, c2)[0]
	y2 := b.op("Mul", nil, 1, h2, y1)[0]

	// PyTorch before opset 14.
	hs := b.op("HardSigmoid", ir.Attrs{"alpha": floatAttr("alpha", 1.0/6), "beta": floatAttr("beta", 0.5)}, 1, y2)[0]
	y3 := b.op("Mul", nil, 1, y2, hs)[0]

	// A hard sigmoid alone (a squeeze-excitation gate).
	a4 := b.op("Add", nil, 1, y3, three)[0]
	y4 := b.op("Div", nil, 1, b.op("Clip", nil, 1, a4, zero, six)[0], six)[0]

	// Kept: the Clip's result is also a graph output.
	a5 := b.op("Add", nil, 1, y4, three)[0]
	c5 := b.op("Clip", nil, 1, a5, zero, six)[0]
	y5 := b.op("Div", nil, 1, b.op("Mul", nil, 1, y4, c5)[0], six)[0]

	// Kept: a [1, 1, 1] divisor makes the result rank 3.
	a6 := b.op("Add", nil, 1, y5, three)[0]
	c6 := b.op("Clip", nil, 1, a6, zero, six)[0]
	y6 := b.op("Div", nil, 1, c6, b.constant("six3", ir.FromSlice([]float32{6}, 1, 1, 1)))[0]
	return b.output(y6, c5)
}
