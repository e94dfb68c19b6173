package passes

import "github.com/nncc/nncc/ir"

// Golden cases of the NCHWc layout pass; the block is pinned to 16 for
// every test in this package, so results do not depend on the machine's
// ISA (without AVX-512 the kernels run their Go twins).

func init() {
	nchwcBlockOverride = 16
	goldenCases = append(goldenCases, layoutGoldenCases...)
}

var layoutGoldenCases = []goldenCase{
	{"layout_nchwc", "layout-nchwc", buildLayoutNet},
	{"layout_nchwc_narrow", "layout-nchwc", buildLayoutNarrow},
	{"layout_nchwc_half", "layout-nchwc", buildLayoutHalf},
	{"layout_nchwc_residual", "layout-nchwc", buildLayoutResidual},
	{"layout_nchwc_depthwise", "layout-nchwc", buildLayoutDepthwise},
	{"layout_nchwc_pad_mean", "layout-nchwc", buildLayoutPadMean},
	{"layout_nchwc_pad_old", "layout-nchwc", buildLayoutPadOld},
	{"layout_nchwc_unet", "layout-nchwc", buildLayoutUNet},
	{"layout_nchwc_resize_forms", "layout-nchwc", buildLayoutResizeForms},
}

// LayoutNCHWcGraphs exposes the golden graphs to the numerical tests.
func LayoutNCHWcGraphs() map[string]func() *ir.Graph {
	out := map[string]func() *ir.Graph{}
	for _, c := range layoutGoldenCases {
		out[c.name] = c.build
	}
	return out
}

// buildLayoutNet: a small network with every op the pass carries: a
// first conv on 3 plain channels, ReLU, MaxPool, a padded conv with
// Sigmoid, a residual Add, a channel Concat, a 1×1 conv to 20 channels
// (not a multiple of the block), global average pooling and Flatten; the
// pooled tensor is also a graph output.
func buildLayoutNet() *ir.Graph {
	b := newGB("layout")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(3), ir.D(10), ir.D(10)}))
	w := func(name string, s ...int64) *ir.Value {
		n := ir.NumElements(s)
		return b.constant(name, ir.FromSlice(f32s(int(n), func(i int) float32 { return float32((i*37)%19-9) * 0.05 }), s...))
	}
	c1 := b.op("Conv", ir.Attrs{"pads": intsAttr("pads", 1, 1, 1, 1)}, 1, x, w("w1", 16, 3, 3, 3), w("b1", 16))[0]
	r1 := b.op("Relu", nil, 1, c1)[0]
	p1 := b.op("MaxPool", ir.Attrs{"kernel_shape": intsAttr("kernel_shape", 2, 2), "strides": intsAttr("strides", 2, 2)}, 1, r1)[0]
	c2 := b.op("Conv", ir.Attrs{"auto_pad": strAttr("auto_pad", "SAME_UPPER")}, 1, p1, w("w2", 16, 16, 3, 3))[0]
	s := b.op("Sigmoid", nil, 1, c2)[0]
	a := b.op("Add", nil, 1, p1, s)[0]
	cat := b.op("Concat", ir.Attrs{"axis": intAttr("axis", 1)}, 1, a, p1)[0]
	c3 := b.op("Conv", nil, 1, cat, w("w3", 20, 32, 1, 1), w("b3", 20))[0]
	gap := b.op("GlobalAveragePool", nil, 1, c3)[0]
	f := b.op("Flatten", nil, 1, gap)[0]
	return b.output(f, p1)
}

// buildLayoutNarrow: a conv with fewer output channels than half a block
// on a plain input is not worth a region; the graph is unchanged.
func buildLayoutNarrow() *ir.Graph {
	b := newGB("narrow")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(3), ir.D(6), ir.D(6)}))
	wt := b.constant("w", ir.FromSlice(f32s(7*3*9, func(i int) float32 { return float32(i%5) * 0.1 }), 7, 3, 3, 3))
	c := b.op("Conv", nil, 1, x, wt)[0]
	y := b.op("Relu", nil, 1, c)[0]
	return b.output(y)
}

// buildLayoutHalf: a conv with half a block of output channels (8) on a
// plain input starts a region (read as NCHW, 8 padding lanes), and the
// next narrow conv and the max pool stay in it.
func buildLayoutHalf() *ir.Graph {
	b := newGB("half")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(3), ir.D(6), ir.D(6)}))
	wt := b.constant("w", ir.FromSlice(f32s(8*3*9, func(i int) float32 { return float32(i%5) * 0.1 }), 8, 3, 3, 3))
	w2 := b.constant("w2", ir.FromSlice(f32s(10*8*9, func(i int) float32 { return float32(i%7-3) * 0.1 }), 10, 8, 3, 3))
	c := b.op("Conv", ir.Attrs{"pads": intsAttr("pads", 1, 1, 1, 1)}, 1, x, wt)[0]
	r := b.op("Relu", nil, 1, c)[0]
	c2 := b.op("Conv", nil, 1, r, w2)[0]
	p := b.op("MaxPool", ir.Attrs{"kernel_shape": intsAttr("kernel_shape", 2, 2), "strides": intsAttr("strides", 2, 2)}, 1, c2)[0]
	return b.output(p)
}

// buildLayoutResidual: a ResNet basic block on a 16-channel input that is
// a graph input (a ReorderToNCHWc), strided convolutions with SAME_LOWER
// padding and dilation, and a residual Add followed by ReLU (which
// fuse-epilogue folds into the second conv as its residual and
// activation when the whole table runs).
func buildLayoutResidual() *ir.Graph {
	b := newGB("residual")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(16), ir.D(9), ir.D(9)}))
	w := func(name string, s ...int64) *ir.Value {
		n := ir.NumElements(s)
		return b.constant(name, ir.FromSlice(f32s(int(n), func(i int) float32 { return float32((i*29)%23-11) * 0.05 }), s...))
	}
	c1 := b.op("Conv", ir.Attrs{"pads": intsAttr("pads", 2, 2, 2, 2), "dilations": intsAttr("dilations", 2, 2)}, 1, x, w("w1", 32, 16, 3, 3), w("b1", 32))[0]
	r1 := b.op("Relu", nil, 1, c1)[0]
	c2 := b.op("Conv", ir.Attrs{"pads": intsAttr("pads", 1, 1, 1, 1)}, 1, r1, w("w2", 32, 32, 3, 3), w("b2", 32))[0]
	sc := b.op("Conv", nil, 1, x, w("ws", 32, 16, 1, 1))[0]
	a := b.op("Add", nil, 1, c2, sc)[0]
	r2 := b.op("Relu", nil, 1, a)[0]
	c3 := b.op("Conv", ir.Attrs{"strides": intsAttr("strides", 2, 2), "auto_pad": strAttr("auto_pad", "SAME_LOWER")}, 1, r2, w("w3", 24, 32, 3, 3))[0]
	return b.output(c3)
}

// buildLayoutDepthwise: a MobileNet block on a 20-channel graph input (a
// ReorderToNCHWc in front of the first depthwise conv), a depthwise 3×3
// stride-2 conv with SAME_UPPER padding, a 1×1 expand to 40 channels, a
// depthwise 3×3 dilated conv with bias on the blocked tensor, average
// pooling with count_include_pad and a 1×1 project; a depthwise conv with
// a channel multiplier (not converted) reads the input too.
func buildLayoutDepthwise() *ir.Graph {
	b := newGB("depthwise")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(20), ir.D(9), ir.D(9)}))
	w := func(name string, s ...int64) *ir.Value {
		n := ir.NumElements(s)
		return b.constant(name, ir.FromSlice(f32s(int(n), func(i int) float32 { return float32((i*31)%17-8) * 0.05 }), s...))
	}
	d1 := b.op("Conv", ir.Attrs{"group": intAttr("group", 20), "strides": intsAttr("strides", 2, 2), "auto_pad": strAttr("auto_pad", "SAME_UPPER")}, 1,
		x, w("dw1", 20, 1, 3, 3))[0]
	r1 := b.op("Relu", nil, 1, d1)[0]
	e := b.op("Conv", nil, 1, r1, w("we", 40, 20, 1, 1), w("be", 40))[0]
	r2 := b.op("Relu", nil, 1, e)[0]
	d2 := b.op("Conv", ir.Attrs{"group": intAttr("group", 40), "pads": intsAttr("pads", 2, 2, 2, 2), "dilations": intsAttr("dilations", 2, 2)}, 1,
		r2, w("dw2", 40, 1, 3, 3), w("bd2", 40))[0]
	ap := b.op("AveragePool", ir.Attrs{"kernel_shape": intsAttr("kernel_shape", 3, 3), "pads": intsAttr("pads", 1, 1, 1, 1),
		"count_include_pad": intAttr("count_include_pad", 1)}, 1, d2)[0]
	pr := b.op("Conv", nil, 1, ap, w("wp", 24, 40, 1, 1))[0]
	mult := b.op("Conv", ir.Attrs{"group": intAttr("group", 20)}, 1, x, w("wm", 40, 1, 3, 3))[0]
	return b.output(pr, mult)
}

// buildLayoutPadMean: Pads of the spatial axes stay in the region as Pads
// of the rank-5 tensor (reflect with a pads input, constant 0.5 with
// opset 18's axes), a Pad that also pads channels ends it, and a
// ReduceMean over H and W without keepdims ends it as a blocked global
// average pool (layout_nchwc_pad.go).
func buildLayoutPadMean() *ir.Graph {
	b := newGB("padmean")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(3), ir.D(9), ir.D(9)}))
	w := func(name string, s ...int64) *ir.Value {
		n := ir.NumElements(s)
		return b.constant(name, ir.FromSlice(f32s(int(n), func(i int) float32 { return float32((i*29)%17-8) * 0.05 }), s...))
	}
	ints := func(name string, v ...int64) *ir.Value { return b.constant(name, ir.FromSlice(v, int64(len(v)))) }
	c1 := b.op("Conv", nil, 1, x, w("w1", 20, 3, 3, 3), w("b1", 20))[0]
	r1 := b.op("Relu", nil, 1, c1)[0]
	p1 := b.op("Pad", ir.Attrs{"mode": strAttr("mode", "reflect")}, 1, r1, ints("pads1", 0, 0, 2, 1, 0, 0, 1, 2))[0]
	c2 := b.op("Conv", nil, 1, p1, w("w2", 20, 20, 3, 3))[0]
	p2 := b.op("Pad", nil, 1, c2, ints("pads2", 1, 0, 0, 1), b.constant("half", ir.Scalar(float32(0.5))), ints("axes2", -1, 2))[0]
	p2.Producer.Opset = 18
	m := b.op("ReduceMean", ir.Attrs{"keepdims": intAttr("keepdims", 0)}, 1, p2, ints("axes3", 3, 2))[0]
	m.Producer.Opset = 18
	pc := b.op("Pad", nil, 1, c2, ints("pads4", 0, 1, 0, 0, 0, 1, 0, 0))[0]
	return b.output(m, pc)
}

// buildLayoutPadOld: opset-2 Pad (pads and value attributes, edge mode)
// stays in the region; ReduceMean over H and W with keepdims is a blocked
// global average pool and the region goes on through the Relu after it.
func buildLayoutPadOld() *ir.Graph {
	b := newGB("padold")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.D(2), ir.D(16), ir.D(6), ir.D(5)}))
	w := b.constant("w", ir.FromSlice(f32s(16*16*9, func(i int) float32 { return float32(i%7-3) * 0.05 }), 16, 16, 3, 3))
	c := b.op("Conv", nil, 1, x, w)[0]
	p := b.op("Pad", ir.Attrs{"mode": strAttr("mode", "edge"), "pads": intsAttr("pads", 0, 0, 1, 1, 0, 0, 1, 1)}, 1, c)[0]
	p.Producer.Opset = 2
	m := b.op("ReduceMean", ir.Attrs{"axes": intsAttr("axes", -2, -1)}, 1, p)[0]
	m.Producer.Opset = 13
	r := b.op("Relu", nil, 1, m)[0]
	return b.output(r)
}

// buildLayoutUNet: a two-level U-Net decoder: a nearest 2× Resize (scales
// input) of a 26-channel tensor and a bilinear half_pixel 2× Resize of an
// 18-channel one stay in the region as Resizes of the rank-5 tensor, and
// the skip Concats of channel counts that are not block multiples (26+18,
// 18+8) are ConcatNCHWc; the whole network is one region.
func buildLayoutUNet() *ir.Graph {
	b := newGB("unet")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(3), ir.D(8), ir.D(8)}))
	w := func(name string, s ...int64) *ir.Value {
		n := ir.NumElements(s)
		return b.constant(name, ir.FromSlice(f32s(int(n), func(i int) float32 { return float32((i*31)%19-9) * 0.04 }), s...))
	}
	sc := func(name string) *ir.Value { return b.constant(name, ir.FromSlice([]float32{1, 1, 2, 2}, 4)) }
	pad1 := ir.Attrs{"pads": intsAttr("pads", 1, 1, 1, 1)}
	pool := ir.Attrs{"kernel_shape": intsAttr("kernel_shape", 2, 2), "strides": intsAttr("strides", 2, 2)}
	e1 := b.op("Relu", nil, 1, b.op("Conv", pad1, 1, x, w("w1", 8, 3, 3, 3), w("b1", 8))[0])[0]
	e2 := b.op("Relu", nil, 1, b.op("Conv", pad1, 1, b.op("MaxPool", pool, 1, e1)[0], w("w2", 18, 8, 3, 3))[0])[0]
	e3 := b.op("Relu", nil, 1, b.op("Conv", pad1, 1, b.op("MaxPool", pool, 1, e2)[0], w("w3", 26, 18, 3, 3))[0])[0]
	u1 := b.op("Resize", ir.Attrs{"mode": strAttr("mode", "nearest"), "coordinate_transformation_mode": strAttr("coordinate_transformation_mode", "asymmetric"),
		"nearest_mode": strAttr("nearest_mode", "floor")}, 1, e3, nil, sc("s1"))[0]
	u1.Producer.Opset = 13
	d1 := b.op("Relu", nil, 1, b.op("Conv", pad1, 1, b.op("Concat", ir.Attrs{"axis": intAttr("axis", 1)}, 1, u1, e2)[0], w("w4", 18, 44, 3, 3))[0])[0]
	u2 := b.op("Resize", ir.Attrs{"mode": strAttr("mode", "linear")}, 1, d1, nil, sc("s2"))[0]
	u2.Producer.Opset = 13
	cat := b.op("Concat", ir.Attrs{"axis": intAttr("axis", 1)}, 1, u2, e1)[0]
	y := b.op("Conv", nil, 1, cat, w("w5", 2, 26, 1, 1))[0]
	return b.output(y)
}

// buildLayoutResizeForms: the forms of Resize the region carries and
// refuses: sizes (C unchanged; the sizes input rewritten to rank 5), an
// opset-18 axes attribute over H and W (inputs unchanged), Resize-10's
// scales and opset-7 Upsample's scales attribute stay blocked; a cubic
// Resize ends the region (the blocked kernel path has no cubic filter),
// and tf_crop_and_resize (it reads the roi) and a Resize of the channels
// read the plain value.
func buildLayoutResizeForms() *ir.Graph {
	b := newGB("resizeforms")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.D(1), ir.D(3), ir.D(6), ir.D(6)}))
	wt := b.constant("w", ir.FromSlice(f32s(20*3*9, func(i int) float32 { return float32(i%7-3) * 0.05 }), 20, 3, 3, 3))
	f32 := func(name string, v ...float32) *ir.Value { return b.constant(name, ir.FromSlice(v, int64(len(v)))) }
	ints := func(name string, v ...int64) *ir.Value { return b.constant(name, ir.FromSlice(v, int64(len(v)))) }
	c := b.op("Conv", nil, 1, x, wt)[0] // [1 20 4 4]
	r1 := b.op("Resize", ir.Attrs{"mode": strAttr("mode", "linear"), "coordinate_transformation_mode": strAttr("coordinate_transformation_mode", "align_corners")},
		1, c, nil, nil, ints("sizes1", 1, 20, 7, 5))[0]
	r1.Producer.Opset = 13
	r2 := b.op("Resize", ir.Attrs{"mode": strAttr("mode", "linear"), "axes": intsAttr("axes", 3, 2)}, 1, r1, nil, f32("s2", 0.5, 2))[0]
	r2.Producer.Opset = 18
	r3 := b.op("Resize", ir.Attrs{"mode": strAttr("mode", "nearest")}, 1, r2, f32("s3", 1, 1, 2, 1))[0]
	r3.Producer.Opset = 10
	r4 := b.op("Upsample", ir.Attrs{"mode": strAttr("mode", "nearest"), "scales": &ir.Attr{Name: "scales", Kind: ir.AttrFloats, Floats: []float32{1, 1, 1, 2}}}, 1, r3)[0]
	r4.Producer.Opset = 7
	r5 := b.op("Resize", ir.Attrs{"mode": strAttr("mode", "cubic")}, 1, r4, nil, f32("s5", 1, 1, 0.5, 0.5))[0]
	r5.Producer.Opset = 13
	r6 := b.op("Resize", ir.Attrs{"mode": strAttr("mode", "linear"), "coordinate_transformation_mode": strAttr("coordinate_transformation_mode", "tf_crop_and_resize")},
		1, r4, f32("roi6", 0, 0, 0.2, 0, 1, 1, 0.9, 1), f32("s6", 1, 1, 2, 2))[0]
	r6.Producer.Opset = 13
	r7 := b.op("Resize", ir.Attrs{"mode": strAttr("mode", "nearest")}, 1, r4, nil, f32("s7", 1, 2, 1, 1))[0]
	r7.Producer.Opset = 13
	return b.output(r5, r6, r7)
}
