package passes

import "github.com/nncc/nncc/ir"

// Golden case of conv-pool-nchwc. The pass reads blocked graphs, so the
// case is built as ONNX ops and taken through fuse-epilogue and
// layout-nchwc first (block pinned to 16 by layout_nchwc_golden_test.go).

func init() {
	goldenCases = append(goldenCases, goldenCase{"conv_pool_nchwc", "conv-pool-nchwc", buildConvPoolNCHWc})
}

// ConvPoolNCHWcGraph exposes the plain (ONNX-op) form of the golden graph
// to the numerical test.
func ConvPoolNCHWcGraph() *ir.Graph { return buildConvPoolPlain() }

// buildConvPoolPlain: a ResNet-style stem (7×7 stride-2 conv, ReLU, 3×3
// stride-2 max pool with padding: overlapping windows), a conv to 20
// channels (not a multiple of the block) with a ceil-mode 2×2 pool, and a
// conv whose ReLU output is also a graph output (so its pool is not
// fused), then Flatten.
func buildConvPoolPlain() *ir.Graph {
	b := newGB("convpool")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(3), ir.D(20), ir.D(20)}))
	w := func(name string, s ...int64) *ir.Value {
		n := ir.NumElements(s)
		return b.constant(name, ir.FromSlice(f32s(int(n), func(i int) float32 { return float32((i*37)%19-9) * 0.05 }), s...))
	}
	pool := func(x *ir.Value, k, s, p, ceil int64) *ir.Value {
		return b.op("MaxPool", ir.Attrs{"kernel_shape": intsAttr("kernel_shape", k, k), "strides": intsAttr("strides", s, s),
			"pads": intsAttr("pads", p, p, p, p), "ceil_mode": intAttr("ceil_mode", ceil)}, 1, x)[0]
	}
	c1 := b.op("Conv", ir.Attrs{"strides": intsAttr("strides", 2, 2), "pads": intsAttr("pads", 3, 3, 3, 3)}, 1, x, w("w1", 16, 3, 7, 7), w("b1", 16))[0]
	p1 := pool(b.op("Relu", nil, 1, c1)[0], 3, 2, 1, 0)
	c2 := b.op("Conv", ir.Attrs{"pads": intsAttr("pads", 1, 1, 1, 1)}, 1, p1, w("w2", 20, 16, 3, 3), w("b2", 20))[0]
	p2 := pool(b.op("Relu", nil, 1, c2)[0], 2, 2, 0, 1)
	c3 := b.op("Conv", ir.Attrs{"pads": intsAttr("pads", 1, 1, 1, 1)}, 1, p2, w("w3", 32, 20, 3, 3))[0]
	r3 := b.op("Relu", nil, 1, c3)[0]
	p3 := pool(r3, 2, 1, 0, 0)
	f := b.op("Flatten", nil, 1, p3)[0]
	return b.output(f, r3)
}

// buildConvPoolNCHWc is buildConvPoolPlain after fuse-epilogue and
// layout-nchwc.
func buildConvPoolNCHWc() *ir.Graph {
	g := buildConvPoolPlain()
	c := &Context{}
	for _, fn := range []func(*ir.Graph, *Context) error{inferShapes, fuseEpilogue, layoutNCHWc, eliminateDeadCode} {
		if err := fn(g, c); err != nil {
			panic("BUG: " + err.Error())
		}
	}
	return g
}
