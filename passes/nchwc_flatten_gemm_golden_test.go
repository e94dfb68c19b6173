package passes

import "github.com/nncc/nncc/ir"

// Golden case of nchwc-flatten-gemm. The pass reads blocked graphs, so the
// case is built as ONNX ops and taken through matmul-add, fuse-epilogue
// and layout-nchwc first (block pinned to 16 by
// layout_nchwc_golden_test.go).

func init() {
	goldenCases = append(goldenCases, goldenCase{"nchwc_flatten_gemm", "nchwc-flatten-gemm", buildFlattenGemmNCHWc})
}

// FlattenGemmNCHWcGraph exposes the plain (ONNX-op) form of the golden
// graph to the numerical test.
func FlattenGemmNCHWcGraph() *ir.Graph { return buildFlattenGemmPlain() }

// buildFlattenGemmPlain: a conv to 20 channels (a padded last block)
// whose ReLU output feeds both a Flatten → Gemm (transB) head and a 1×1
// conv → max pool → Flatten → MatMul + Add head (B not transposed).
func buildFlattenGemmPlain() *ir.Graph {
	b := newGB("flattengemm")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(3), ir.D(6), ir.D(6)}))
	w := func(name string, s ...int64) *ir.Value {
		n := ir.NumElements(s)
		return b.constant(name, ir.FromSlice(f32s(int(n), func(i int) float32 { return float32((i*41)%23-11) * 0.03 }), s...))
	}
	c1 := b.op("Conv", ir.Attrs{"pads": intsAttr("pads", 1, 1, 1, 1)}, 1, x, w("w1", 20, 3, 3, 3), w("b1", 20))[0]
	r1 := b.op("Relu", nil, 1, c1)[0]
	f1 := b.op("Flatten", nil, 1, r1)[0]
	g1 := b.op("Gemm", ir.Attrs{"transB": intAttr("transB", 1)}, 1, f1, w("wg", 10, 720), w("bg", 10))[0]
	c2 := b.op("Conv", nil, 1, r1, w("w2", 16, 20, 1, 1))[0]
	p2 := b.op("MaxPool", ir.Attrs{"kernel_shape": intsAttr("kernel_shape", 2, 2), "strides": intsAttr("strides", 2, 2)}, 1, b.op("Relu", nil, 1, c2)[0])[0]
	f2 := b.op("Flatten", nil, 1, p2)[0]
	m2 := b.op("MatMul", nil, 1, f2, w("wm", 144, 7))[0]
	a2 := b.op("Add", nil, 1, m2, w("bm", 7))[0]
	return b.output(g1, a2)
}

// buildFlattenGemmNCHWc is buildFlattenGemmPlain after matmul-add,
// fuse-epilogue and layout-nchwc.
func buildFlattenGemmNCHWc() *ir.Graph {
	g := buildFlattenGemmPlain()
	c := &Context{}
	for _, fn := range []func(*ir.Graph, *Context) error{inferShapes, fuseMatMulAdd, fuseEpilogue, layoutNCHWc, eliminateDeadCode} {
		if err := fn(g, c); err != nil {
			panic("BUG: " + err.Error())
		}
	}
	return g
}
