package zoo

import (
	"fmt"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// BlockedRegion builds a convolution region wide enough for the blocked
// NCHWc layout (24 to 48 channels, several not multiples of 16) with the
// ops that region carries and the ones it must leave: Sigmoid, Elu and
// HardSigmoid (non-zero at zero, so padded channel lanes hold non-zero
// values), a gating Mul of two blocked values, MaxPool with ceil_mode and
// dilation, AveragePool counting and not counting padding, a SAME_UPPER
// strided conv, Concat on channels, a per-channel broadcast Sub (leaves
// the layout), Softmax over the channel axis, and a blocked value that is
// also a graph output. Input "image" [batch, 24, 15, 15], outputs "logits"
// [batch, 10], "features" [batch, 40, 8, 8] and "attention" [batch, 32, 4, 4].
func BlockedRegion(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("blocked_region_op%d", opset), opset, 12)
	b := n.b
	x := b.Input("image", ir.Float32, "batch", 24, 15, 15)
	x = b.Sigmoid(n.conv("c1", x, convSpec{in: 24, out: 40, kh: 3, kw: 3, pads: [4]int64{1, 1, 1, 1}, bias: true}))
	pool := []builder.Arg{builder.AttrKernelShape(3, 3), builder.AttrStrides(2, 2), builder.AttrPads(1, 1, 1, 1)}
	if opset >= 10 {
		pool = append(pool, builder.AttrCeilMode(1), builder.AttrDilations(1, 1))
	}
	feat := b.MaxPool(x, pool...)[0] // 8×8
	x = b.Elu(n.conv("c2", feat, convSpec{in: 40, out: 48, kh: 3, kw: 3, pads: [4]int64{1, 1, 1, 1}}), builder.AttrAlpha(0.7))
	x = b.AveragePool(x, builder.AttrKernelShape(3, 3), builder.AttrPads(1, 1, 1, 1), builder.AttrCountIncludePad(1))
	y := n.conv("c3", x, convSpec{in: 48, out: 32, kh: 1, kw: 1, bias: true})
	x = b.Mul(y, b.HardSigmoid(y, builder.AttrAlpha(0.2), builder.AttrBeta(0.4)))
	x = b.AveragePool(x, builder.AttrKernelShape(2, 2), builder.AttrStrides(2, 2), builder.AttrPads(0, 0, 1, 1)) // 4×4 (padding not counted)
	w := b.Weight("c4.weight", []int64{32, 32, 3, 3}, builder.HeNormal, builder.Fans{In: 288, Out: 288})
	z := b.Relu(b.Conv(x, w, builder.AttrAutoPad("SAME_UPPER"), builder.AttrStrides(2, 2)))                       // 2×2
	z2 := b.Relu(n.conv("c5", x, convSpec{in: 32, out: 32, kh: 3, kw: 3, stride: 2, pads: [4]int64{0, 0, 1, 1}})) // 2×2
	cat := b.Concat(z, builder.Inputs(z2), builder.AttrAxis(1))                                                   // 64
	shift := b.Weight("shift", []int64{64, 1, 1}, builder.Uniform(-0.5, 0.5), builder.Fans{})
	cat = b.Sub(cat, shift)
	att := n.softmaxAxis1(n.conv("c6", x, convSpec{in: 32, out: 32, kh: 1, kw: 1}))
	h := n.dense("fc", n.flatten(b.GlobalAveragePool(cat)), 64, 10)
	return b.Build(b.Output("logits", h), b.Output("features", feat), b.Output("attention", att))
}

// softmaxAxis1 is a softmax over axis 1 of a rank-4 value alone: at opset
// 13 the Softmax op, before it Exp/ReduceSum/Div (the old Softmax would
// normalise over axes 1..3 jointly).
func (n *net) softmaxAxis1(x *builder.Value) *builder.Value {
	b := n.b
	if n.opset >= 13 {
		return b.Softmax(x, builder.AttrAxis(1))
	}
	e := b.Exp(b.Sub(x, b.ReduceMax(x, builder.AttrAxes(1), builder.AttrKeepdims(1))))
	return b.Div(e, n.reduceSum(e, 1, 1))
}

// reduceSum sums x over axes (keepdims 0 or 1), the axes an input from
// opset 13.
func (n *net) reduceSum(x *builder.Value, keep int64, axes ...int64) *builder.Value {
	if n.opset >= 13 {
		return n.b.ReduceSum(x, builder.Inputs(n.b.Int64s(axes...)), builder.AttrKeepdims(keep))
	}
	return n.b.ReduceSum(x, builder.AttrAxes(axes...), builder.AttrKeepdims(keep))
}

// SharedWeights uses one constant in several roles, which in-place
// weight transforms must not confuse: one conv weight feeds two Convs
// followed by different BatchNormalizations (folding either must copy
// it), the same tensor is also multiplied as data; one MatMul weight
// feeds two MatMul + Add pairs with different biases and a Transpose.
// Input "image" [batch, 8, 6, 6] and "tokens" [batch, 5, 12]; outputs
// "a", "b", "c".
func SharedWeights(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("shared_weights_op%d", opset), opset, 13)
	b := n.b
	x := b.Input("image", ir.Float32, "batch", 8, 6, 6)
	t := b.Input("tokens", ir.Float32, "batch", 5, 12)
	w := b.Weight("convw", []int64{8, 8, 3, 3}, builder.HeNormal, builder.Fans{In: 72, Out: 72})
	args := []builder.Arg{builder.AttrKernelShape(3, 3), builder.AttrPads(1, 1, 1, 1)}
	y1 := b.Relu(n.bn("bn1", b.Conv(x, w, args...), 8))
	y2 := n.bn("bn2", b.Conv(y1, w, args...), 8)
	wsum := n.reduceSum(w, 0, 1, 2, 3) // [8]
	y2 = b.Add(y2, n.reshape(wsum, 8, 1, 1))
	m := b.Weight("mm", []int64{12, 12}, builder.GlorotUniform, builder.Fans{In: 12, Out: 12})
	b1 := b.Weight("b1", []int64{12}, builder.Uniform(-1, 1), builder.Fans{})
	b2 := b.Weight("b2", []int64{12}, builder.Uniform(-1, 1), builder.Fans{})
	u := b.Tanh(b.Add(b.MatMul(t, m), b1))
	u = b.Add(b.MatMul(u, m), b2)
	v := b.MatMul(t, b.Transpose(m, builder.AttrPerm(1, 0)))
	return b.Build(b.Output("a", y2), b.Output("b", u), b.Output("c", v))
}

// Broadcasts puts constants of every broadcast shape after Conv, Gemm
// and MatMul, where an epilogue fusion may only take a per-channel or
// per-column bias: Conv + Add [1, 1, H, W] (per pixel), Conv + Mul [C,
// 1, 1] + Add scalar, Conv + Add of a [N, C, 1, 1] value (per sample),
// Gemm with transA, alpha, beta and a [M, 1] C, Gemm with a scalar C,
// MatMul + Add [M, N] (a full matrix, not a bias row), a MatMul of a
// vector and a batched MatMul with a broadcast batch.
// Inputs "image" [3, 6, 5, 7], "a" [9, 4], "q" [2, 4, 9]; outputs "p3",
// "g2", "m2", "m3".
func Broadcasts(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("broadcasts_op%d", opset), opset, 14)
	b := n.b
	f := func(name string, shape ...int64) *builder.Value {
		return b.Weight(name, shape, builder.Uniform(-1, 1), builder.Fans{})
	}
	x := b.Input("image", ir.Float32, 3, 6, 5, 7)
	a := b.Input("a", ir.Float32, 9, 4) // Gemm A, transposed: [K, M]
	q := b.Input("q", ir.Float32, 2, 4, 9)
	c := n.conv("c1", x, convSpec{in: 6, out: 10, kh: 3, kw: 3, pads: [4]int64{1, 1, 1, 1}})
	p1 := b.Relu(b.Add(c, f("pix", 1, 1, 5, 7)))
	c2 := n.conv("c2", x, convSpec{in: 6, out: 10, kh: 1, kw: 1})
	p2 := b.Add(b.Mul(c2, f("scale", 10, 1, 1)), b.Scalar(ir.Float32, 0.25))
	gap := b.GlobalAveragePool(p2) // [3, 10, 1, 1]
	c3 := n.conv("c3", p1, convSpec{in: 10, out: 10, kh: 3, kw: 3, pads: [4]int64{1, 1, 1, 1}, bias: true})
	p3 := b.Relu(b.Add(c3, gap))
	g1 := b.Gemm(a, f("gb", 9, 11), builder.Inputs(f("gc", 4, 1)), builder.AttrTransA(1), builder.AttrAlpha(0.5), builder.AttrBeta(2))
	g2 := b.Sigmoid(b.Gemm(g1, f("gb2", 11, 6), builder.Inputs(f("gc2", 1)), builder.AttrBeta(-1)))
	m1 := b.Add(b.MatMul(q, f("mw", 9, 4)), f("mfull", 4, 4))  // [2, 4, 4]
	m2 := b.MatMul(f("vec", 4), q)                             // [2, 9]
	m3 := b.MatMul(f("batch", 3, 1, 9, 4), n.unsqueeze(m1, 0)) // [3, 2, 9, 4]
	return b.Build(b.Output("p3", p3), b.Output("g2", g2), b.Output("m2", m2), b.Output("m3", m3))
}

// ConvND covers convolutions that are not 2-D: a 1-D conv stack over
// [batch, 12, 30] (dilation, stride, padding on one side, MaxPool 1-D,
// ConvTranspose 1-D), and a 3-D conv with AveragePool 3-D over [batch, 4,
// 5, 6, 7] (a grouped conv with unequal pads ends it). Outputs "seq_out"
// and "vol_out".
func ConvND(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("convnd_op%d", opset), opset, 15)
	b := n.b
	w := func(name string, shape ...int64) *builder.Value {
		fan := int(ir.NumElements(shape[1:]))
		return b.Weight(name, shape, builder.HeNormal, builder.Fans{In: fan, Out: fan})
	}
	s := b.Input("seq", ir.Float32, "batch", 12, 30)
	y := b.Relu(b.Conv(s, w("c1", 20, 12, 5), builder.AttrDilations(2), builder.AttrPads(4, 4)))
	y = b.MaxPool(y, builder.AttrKernelShape(3), builder.AttrStrides(2), builder.AttrPads(0, 1))[0] // 15
	y = b.Tanh(b.Conv(y, w("c2", 18, 20, 3), builder.AttrStrides(2), builder.AttrPads(0, 2)))       // 8
	y = b.ConvTranspose(y, w("t1", 18, 7, 4), builder.AttrStrides(2), builder.AttrPads(1, 1))       // 16
	v := b.Input("vol", ir.Float32, "batch", 4, 5, 6, 7)
	z := b.Relu(b.Conv(v, w("c3", 6, 4, 3, 3, 3), builder.AttrPads(1, 1, 1, 1, 1, 1)))
	z = b.AveragePool(z, builder.AttrKernelShape(2, 2, 2), builder.AttrStrides(2, 2, 2))            // 2×3×3
	z = b.Conv(z, w("c4", 4, 3, 1, 2, 2), builder.AttrGroup(2), builder.AttrPads(0, 1, 0, 0, 0, 1)) // [4, 2, 3, 3]
	return b.Build(b.Output("seq_out", y), b.Output("vol_out", z))
}
