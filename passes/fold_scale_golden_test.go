package passes

import "github.com/nncc/nncc/ir"

func init() {
	goldenCases = append(goldenCases, goldenCase{"fold_scale_conv", "fold-scale", buildFoldScale})
}

// buildFoldScale: Mul(x, s_in) → Conv(·, w, b) → Mul(s_out) → Add(t) →
// Sub(scalar), and a Mul whose result has a second use (not folded).
func buildFoldScale() *ir.Graph {
	b := newGB("fold_scale")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(2), ir.D(4), ir.D(4)}))
	sIn := b.constant("s_in", ir.FromSlice([]float32{2, 0.5}, 2, 1, 1))
	xs := b.op("Mul", nil, 1, x, sIn)[0]
	w := b.constant("w", ir.FromSlice(f32s(3*2*3*3, func(i int) float32 { return float32(i%5)*0.25 - 0.5 }), 3, 2, 3, 3))
	bias := b.constant("b", ir.FromSlice([]float32{0.1, -0.2, 0.3}, 3))
	conv := b.op("Conv", ir.Attrs{"pads": intsAttr("pads", 1, 1, 1, 1)}, 1, xs, w, bias)[0]
	sOut := b.constant("s_out", ir.FromSlice([]float32{1, 2, 4}, 1, 3, 1, 1))
	y := b.op("Mul", nil, 1, conv, sOut)[0]
	t := b.constant("t", ir.FromSlice([]float32{0.5, 0, -0.5}, 3, 1, 1))
	y = b.op("Add", nil, 1, t, y)[0]
	y = b.op("Sub", nil, 1, y, b.constant("one", scalarF(1)))[0]
	shared := b.op("Mul", nil, 1, x, sIn)[0]
	conv2 := b.op("Conv", nil, 1, shared, w)[0]
	return b.output(y, conv2, shared)
}
