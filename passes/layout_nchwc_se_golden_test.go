package passes

import (
	"math"

	"github.com/nncc/nncc/ir"
)

func init() {
	se := []goldenCase{
		{"layout_nchwc_se_gate", "layout-nchwc", buildLayoutSEGate},
		{"layout_nchwc_reentry", "layout-nchwc", buildLayoutReentry},
		{"layout_nchwc_affine", "layout-nchwc", buildLayoutAffine},
	}
	layoutGoldenCases = append(layoutGoldenCases, se...)
	goldenCases = append(goldenCases, se...)
}

// buildLayoutSEGate: a squeeze-excitation block (MobileNetV3, PP-OCR):
// the gate [n, 24, 1, 1] multiplies the feature map [n, 24, 6, 8], once
// as x·gate and once as gate·x. Both products stay in the blocked region
// (the rank-5 operands broadcast lane by lane), so no reorder leaves it.
func buildLayoutSEGate() *ir.Graph {
	b := newGB("se_gate")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(16), ir.D(6), ir.D(8)}))
	w := func(name string, s ...int64) *ir.Value {
		n := ir.NumElements(s)
		return b.constant(name, ir.FromSlice(f32s(int(n), func(i int) float32 { return float32((i*41)%23-11) * 0.04 }), s...))
	}
	y := b.op("Relu", nil, 1, b.op("Conv", ir.Attrs{"pads": intsAttr("pads", 1, 1, 1, 1)}, 1, x, w("w1", 24, 16, 3, 3), w("b1", 24))[0])[0]
	s := b.op("GlobalAveragePool", nil, 1, y)[0]
	s = b.op("Relu", nil, 1, b.op("Conv", nil, 1, s, w("w2", 8, 24, 1, 1), w("b2", 8))[0])[0]
	gate := b.op("HardSigmoid", ir.Attrs{"alpha": floatAttr("alpha", 1.0/6)}, 1, b.op("Conv", nil, 1, s, w("w3", 24, 8, 1, 1), w("b3", 24))[0])[0]
	z := b.op("Mul", nil, 1, y, gate)[0]
	z = b.op("Conv", nil, 1, z, w("w4", 24, 24, 1, 1))[0]
	z = b.op("Mul", nil, 1, gate, z)[0]
	return b.output(b.op("Conv", nil, 1, z, w("w5", 16, 24, 1, 1))[0])
}

// buildLayoutReentry: what a specialised graph holds where its generic
// graph's region ended (the generic pass saw symbolic sizes): a
// ReorderFromNCHWc whose plain value a Conv reads, and a ReorderToNCHWc
// of such a value. The Conv reads the blocked value directly and the
// back-to-back reorders cancel; the exit stays for its plain reader.
func buildLayoutReentry() *ir.Graph {
	b := newGB("reentry")
	xb := b.input("xb", ir.TensorType(ir.Float32, 1, 2, 5, 5, 16))
	blk, ch := intAttr("block", 16), intAttr("channels", 24)
	from := func(v *ir.Value) *ir.Value {
		o := b.op("ReorderFromNCHWc", ir.Attrs{"block": blk, "channels": ch}, 1, v)[0]
		n := b.g.Nodes[len(b.g.Nodes)-1]
		n.Domain, n.Opset = ir.FusedDomain, 1
		return o
	}
	plain := from(xb)
	w := b.constant("w", ir.FromSlice(f32s(24*24, func(i int) float32 { return float32(i%7-3) * 0.1 }), 24, 24, 1, 1))
	c := b.op("Conv", nil, 1, plain, w)[0]
	to := b.op("ReorderToNCHWc", ir.Attrs{"block": blk}, 1, from(xb))[0]
	n := b.g.Nodes[len(b.g.Nodes)-1]
	n.Domain, n.Opset = ir.FusedDomain, 1
	back := from(to)
	return b.output(c, b.op("Neg", nil, 1, plain)[0], back)
}

// buildLayoutAffine: PP-LCNetV3's learnable affine block, a·x + b with
// one-element learned constants, after a convolution's activation (both
// operand orders, and a Sub); the region carries it. An infinite scale
// would turn the zero padding lanes into NaN, so that Mul ends the region.
func buildLayoutAffine() *ir.Graph {
	b := newGB("affine")
	x := b.input("x", ir.TensorType(ir.Float32, 1, 16, 5, 6))
	w := b.constant("w", ir.FromSlice(f32s(20*16, func(i int) float32 { return float32(i%9-4) * 0.05 }), 20, 16, 1, 1))
	y := b.op("HardSwish", nil, 1, b.op("Conv", nil, 1, x, w)[0])[0]
	y = b.op("Mul", nil, 1, b.constant("a", ir.FromSlice([]float32{1.5}, 1)), y)[0]
	y = b.op("Add", nil, 1, y, b.constant("c", ir.FromSlice([]float32{-0.25}, 1)))[0]
	y = b.op("Sub", nil, 1, b.constant("d", scalarF(2)), y)[0]
	y = b.op("Conv", nil, 1, y, b.constant("w2", ir.FromSlice(f32s(16*20, func(i int) float32 { return float32(i%5-2) * 0.1 }), 16, 20, 1, 1)))[0]
	z := b.op("Mul", nil, 1, y, b.constant("inf", scalarF(float32(math.Inf(1)))))[0]
	return b.output(y, z)
}
