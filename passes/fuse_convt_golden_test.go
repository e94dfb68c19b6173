package passes

import "github.com/nncc/nncc/ir"

// Golden case of fuse-epilogue on ConvTranspose: the generator layers a
// GAN exports (ConvTranspose → Relu after fold-batchnorm, ConvTranspose →
// per-channel Add → Tanh), and a residual Add, which a
// nncc.FusedConvTranspose cannot take and is left alone.

func init() {
	goldenCases = append(goldenCases, goldenCase{"fuse_epilogue_convtranspose", "fuse-epilogue", buildConvTransposeEpilogue})
}

func buildConvTransposeEpilogue() *ir.Graph {
	b := newGB("convt_epilogue")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(4), ir.D(3), ir.D(3)}))
	w := b.constant("w", ir.FromSlice(f32s(4*3*4*4, func(i int) float32 { return float32(i%7)*0.1 - 0.3 }), 4, 3, 4, 4))
	bias := b.constant("b", ir.FromSlice([]float32{0.1, -0.2, 0.3}, 3))
	up := ir.Attrs{"strides": intsAttr("strides", 2, 2), "pads": intsAttr("pads", 1, 1, 1, 1)}
	h := b.op("ConvTranspose", up, 1, x, w, bias)[0]
	h = b.op("Relu", nil, 1, h)[0]
	w2 := b.constant("w2", ir.FromSlice(f32s(3*2*3*3, func(i int) float32 { return float32(i%5)*0.2 - 0.4 }), 3, 2, 3, 3))
	y := b.op("ConvTranspose", ir.Attrs{"pads": intsAttr("pads", 1, 1, 1, 1)}, 1, h, w2)[0]
	t := b.constant("t", ir.FromSlice([]float32{0.5, -0.5}, 2, 1, 1))
	y = b.op("Add", nil, 1, y, t)[0]
	y = b.op("Tanh", nil, 1, y)[0]
	r := b.input("r", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(2), ir.D(6), ir.D(6)}))
	z := b.op("ConvTranspose", ir.Attrs{"pads": intsAttr("pads", 1, 1, 1, 1)}, 1, h, w2)[0]
	z = b.op("Add", nil, 1, z, r)[0]
	return b.output(y, z)
}
