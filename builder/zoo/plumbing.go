package zoo

import (
	"fmt"
	"math"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// Plumbing builds a graph of the wiring the clean-up passes (identity
// removal, folding, CSE, DCE, Reshape and Transpose chain folding) must
// keep exactly, at the given opset (≥ 13): outputs that are an Identity
// of an input, two outputs that are Identities of one value, Dropout's
// mask output, a folded Size, two Div by +0 and -0 constants (equal as
// numbers, not as bits), constants with equal bytes but different shapes
// or types, a Reshape chain whose second 0 refers to a dimension the
// first changed, composed rank-4 Transposes, and BatchNormalization after
// a Gemm without transB and after a 1-D conv. Input "x" [batch, 6],
// "img" [batch, 4, 3, 5]; outputs as named in the body.
func Plumbing(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("plumbing_op%d", opset), opset, 16)
	b := n.b
	f32 := func(shape []int64, v ...float32) *builder.Value { return b.Const(ir.FromSlice(v, shape...)) }
	x := b.Input("x", ir.Float32, "batch", 6)
	img := b.Input("img", ir.Float32, "batch", 4, 3, 5)
	var outs []*builder.Value
	out := func(name string, v *builder.Value) { outs = append(outs, b.Output(name, v)) }

	out("same", b.Identity(x))
	r := b.Relu(x)
	out("twice_a", b.Identity(r))
	out("twice_b", b.Identity(r))
	d := b.Dropout(b.Tanh(x), builder.NumOutputs(2))
	out("dropped", d[0])
	out("mask", b.Cast(d[1], builder.AttrTo(int64(ir.Float32)))) // float: ortcompare reads float outputs
	// Rank 1 and float: the ONNX Runtime tools read no scalars and write int64 outputs as float.
	out("size", b.Cast(n.reshape(b.Size(r), 1), builder.AttrTo(int64(ir.Float32))))
	out("posinf", b.Div(x, f32([]int64{1}, 0)))
	out("neginf", b.Div(x, f32([]int64{1}, float32(math.Copysign(0, -1)))))

	// Equal bytes, different meaning.
	vals := []float32{1, 2, 3, 4, 5, 6}
	a1 := b.Mul(x, f32([]int64{6}, vals...))                            // [N, 6]
	a2 := b.MatMul(n.reshape(x, -1, 2, 3), f32([]int64{3, 2}, vals...)) // [N, 2, 2]
	a3 := b.MatMul(n.reshape(x, -1, 3, 2), f32([]int64{2, 3}, vals...)) // [N, 3, 3]
	bits := b.Const(ir.FromSlice([]int32{int32(math.Float32bits(1))}, 1))
	a4 := b.Mul(x, b.Cast(bits, builder.AttrTo(int64(ir.Float32))))
	a5 := b.Mul(x, f32([]int64{1}, 1))
	out("bytes_a", a1)
	out("bytes_b", a2)
	out("bytes_c", a3)
	out("bits_a", a4)
	out("bits_b", a5)

	// x [N, 6] → [2, 3N] → [2, 3, N]: the second 0 is the first
	// reshape's 2, not N.
	out("reshape_chain", n.reshape(n.reshape(x, 2, -1), 0, 3, -1))
	t := b.Transpose(img, builder.AttrPerm(0, 2, 3, 1))             // [N, 3, 5, 4]
	t = b.Transpose(b.Sigmoid(t), builder.AttrPerm(3, 1, 0, 2))     // [4, 3, N, 5]
	t = b.Transpose(t, builder.AttrPerm(2, 0, 3, 1))                // [N, 4, 5, 3]
	out("transposes", b.Transpose(t, builder.AttrPerm(0, 1, 3, 2))) // [N, 4, 3, 5]

	// Linear + BatchNorm1d, with the weight stored [in, out] (no transB),
	// and Conv1d + BatchNorm1d.
	g := b.Gemm(x, b.Weight("fc.weight", []int64{6, 10}, builder.GlorotUniform, builder.Fans{In: 6, Out: 10}),
		builder.Inputs(b.Weight("fc.bias", []int64{10}, builder.Uniform(-1, 1), builder.Fans{})))
	out("gemm_bn", b.Relu(n.bn("bn_fc", g, 10)))
	seq := n.reshape(img, 0, 12, 5)
	c := b.Conv(seq, b.Weight("c1d.weight", []int64{7, 12, 3}, builder.HeNormal, builder.Fans{In: 36, Out: 21}), builder.AttrPads(1, 1))
	out("conv1d_bn", n.bn("bn_c1d", c, 7))
	return b.Build(outs...)
}

// Elementwise builds trees of elementwise ops with every broadcast shape
// the fused elementwise loop must index: [N, C, H, W] with [C, 1, 1],
// [1, H, 1], [W] and [N, 1, 1, 1] operands, an intermediate used twice and
// one that is also an output, Pow with exponents 2, 0.5, 3 and -1, Min,
// Max, Sum and Mean of three operands, Where with a broadcast condition,
// and Clip with only an upper bound. Input "x" [batch, 3, 4, 5], "s"
// [batch, 1, 1, 1]; outputs "y", "mid", "z", "w".
func Elementwise(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("elementwise_op%d", opset), opset, 17)
	b := n.b
	u := func(name string, lo, hi float64, shape ...int64) *builder.Value {
		return b.Weight(name, shape, builder.Uniform(lo, hi), builder.Fans{})
	}
	sc := func(v float64) *builder.Value { return b.Scalar(ir.Float32, v) }
	x := b.Input("x", ir.Float32, "batch", 3, 4, 5)
	s := b.Input("s", ir.Float32, "batch", 1, 1, 1)
	h := b.Add(b.Mul(x, u("cw", 0.5, 1.5, 3, 1, 1)), u("hb", -1, 1, 1, 4, 1)) // [N,3,4,5]
	h = b.Sigmoid(b.Sub(h, b.Mul(s, u("sw", -1, 1, 5))))
	mid := b.Mul(h, h) // h used twice
	y := b.Add(b.Pow(mid, sc(2)), b.Pow(b.Abs(x), sc(0.5)))
	y = b.Sub(y, b.Pow(b.Tanh(x), sc(3)))
	y = b.Mul(y, b.Pow(b.Add(b.Abs(s), sc(1)), sc(-1)))
	z := b.Max(y, builder.Inputs(mid, u("floor", 0, 0.5, 4, 1)))
	z = b.Min(z, builder.Inputs(sc(1.5), b.Neg(x)))
	z = b.Sum(z, builder.Inputs(mid, s))
	z = b.Mean(z, builder.Inputs(y, u("m", -1, 1, 3, 1, 5)))
	cond := b.Const(&ir.Tensor{DType: ir.Bool, Shape: []int64{4, 1}, Data: []bool{true, false, true, false}})
	w := b.Where(cond, z, b.Exp(b.Neg(mid)))
	w = b.Clip(w, builder.Inputs(nil, sc(0.8)))
	return b.Build(b.Output("y", y), b.Output("mid", mid), b.Output("z", z), b.Output("w", w))
}
