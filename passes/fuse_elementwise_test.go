package passes

import "github.com/nncc/nncc/ir"

// Golden cases of fuse-elementwise. They join fuseGoldenCases, which
// fuse_golden_test.go's init hands to TestPassGolden and
// FuseGoldenGraphs hands to the numerical comparison with the pass off;
// this file's init runs first (files initialise in name order).
func init() {
	fuseGoldenCases = append(fuseGoldenCases,
		goldenCase{"fuse_elementwise_chains", "fuse-elementwise", buildElementwiseChains},
		goldenCase{"fuse_elementwise_uses", "fuse-elementwise", buildElementwiseUses},
		goldenCase{"fuse_elementwise_attention_scores", "fuse-elementwise", buildElementwiseAttentionScores},
	)
}

// buildElementwiseAttentionScores: attention with a symbolic batch, its
// scores scaled by Div and masked by two Adds before the Softmax. The
// chain stays unfused for the attention pass to take once the shapes are
// concrete (attentionScores); the same chain on a static batch, and the
// Mul and Tanh after the attention, are fused.
func buildElementwiseAttentionScores() *ir.Graph {
	b := newGB("elementwise_attention_scores")
	scores := func(q, k *ir.Value, pad *ir.Value) *ir.Value {
		s := b.op("MatMul", nil, 1, q, k)[0]
		s = b.op("Div", nil, 1, s, b.constant("sqrt_d", scalarF(2)))[0]
		s = b.op("Add", nil, 1, s, pad)[0]
		s = b.op("Add", nil, 1, s, b.constant("causal", ir.FromSlice(f32s(16, func(i int) float32 { return float32(i%3) - 1 }), 4, 4)))[0]
		return b.op("Softmax", ir.Attrs{"axis": intAttr("axis", -1)}, 1, s)[0]
	}
	n := ir.Sym("n")
	q := b.input("q", ir.TensorOf(ir.Float32, ir.Shape{n, ir.D(2), ir.D(4), ir.D(3)}))
	k := b.input("k", ir.TensorOf(ir.Float32, ir.Shape{n, ir.D(2), ir.D(3), ir.D(4)}))
	pad := b.input("pad", ir.TensorOf(ir.Float32, ir.Shape{n, ir.D(1), ir.D(1), ir.D(4)}))
	p := scores(q, k, pad)
	y := b.op("Tanh", nil, 1, b.op("Mul", nil, 1, p, b.constant("two", scalarF(2)))[0])[0]

	qs := b.input("qs", ir.TensorType(ir.Float32, 2, 2, 4, 3))
	ks := b.input("ks", ir.TensorType(ir.Float32, 2, 2, 3, 4))
	pads := b.input("pads", ir.TensorType(ir.Float32, 2, 1, 1, 4))
	return b.output(y, scores(qs, ks, pads))
}

// buildElementwiseChains: a per-channel scale and shift, Relu, Clip and
// Sigmoid on NCHW; a tree Sub(Exp(x), Tanh(x·x)) reading the input three
// times; a per-row bias Add with LeakyRelu and tanh-form Gelu on a matrix;
// Div and Sqrt by a scalar.
func buildElementwiseChains() *ir.Graph {
	b := newGB("elementwise_chains")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(3), ir.D(4), ir.D(4)}))
	sc := b.constant("scale", ir.FromSlice([]float32{0.5, -1, 2}, 3, 1, 1))
	sh := b.constant("shift", ir.FromSlice([]float32{0.1, 0.2, -0.3}, 3, 1, 1))
	m := b.op("Mul", nil, 1, x, sc)[0]
	a := b.op("Add", nil, 1, sh, m)[0]
	r := b.op("Relu", nil, 1, a)[0]
	lo, hi := b.constant("lo", scalarF(0.25)), b.constant("hi", scalarF(6))
	cl := b.op("Clip", nil, 1, r, lo, hi)[0]
	y1 := b.op("Sigmoid", nil, 1, cl)[0]

	e := b.op("Exp", nil, 1, x)[0]
	sq := b.op("Mul", nil, 1, x, x)[0]
	th := b.op("Tanh", nil, 1, sq)[0]
	y2 := b.op("Sub", nil, 1, e, th)[0]

	v := b.input("v", ir.TensorType(ir.Float32, 5, 8))
	row := b.constant("row", ir.FromSlice(f32s(8, func(i int) float32 { return float32(i)*0.25 - 1 }), 8))
	va := b.op("Add", nil, 1, v, row)[0]
	lr := b.op("LeakyRelu", ir.Attrs{"alpha": floatAttr("alpha", 0.1)}, 1, va)[0]
	gl := b.op("Gelu", ir.Attrs{"approximate": strAttr("approximate", "tanh")}, 1, lr)[0]
	gl.Producer.Opset = 20
	two := b.constant("two", scalarF(2))
	dv := b.op("Div", nil, 1, two, gl)[0]
	y3 := b.op("Sqrt", nil, 1, b.op("Abs", nil, 1, dv)[0])[0]
	return b.output(y1, y2, y3)
}

// buildElementwiseUses: values with a second consumer or that are graph
// outputs stay materialised, so only the single-consumer stretches fuse;
// a lone op is left as it is.
func buildElementwiseUses() *ir.Graph {
	b := newGB("elementwise_uses")
	x := b.input("x", batchX)
	one := b.constant("one", scalarF(1))
	u := b.op("Add", nil, 1, x, one)[0] // graph output and input of Abs
	s := b.op("Sqrt", nil, 1, b.op("Abs", nil, 1, u)[0])[0]
	t := b.op("Tanh", nil, 1, s)[0] // two consumers
	n1 := b.op("Neg", nil, 1, b.op("Exp", nil, 1, t)[0])[0]
	n2 := b.op("Sigmoid", nil, 1, t)[0] // alone
	return b.output(u, n1, n2)
}
