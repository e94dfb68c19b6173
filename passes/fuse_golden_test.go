package passes

import (
	"math"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
)

// Golden cases of the fusion passes; TestPassGolden runs them through the
// same harness as the core passes (testdata/fuse_*.golden, -update).

func init() { goldenCases = append(goldenCases, fuseGoldenCases...) }

func f32s(n int, f func(i int) float32) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func scalarF(v float32) *ir.Tensor { return ir.Scalar(v) }

func floatsAttr(name string, v ...float32) *ir.Attr {
	return &ir.Attr{Name: name, Kind: ir.AttrFloats, Floats: v}
}

func intsAttr(name string, v ...int64) *ir.Attr {
	return &ir.Attr{Name: name, Kind: ir.AttrInts, Ints: v}
}

func intAttr(name string, v int64) *ir.Attr { return &ir.Attr{Name: name, Kind: ir.AttrInt, I: v} }

func floatAttr(name string, v float32) *ir.Attr {
	return &ir.Attr{Name: name, Kind: ir.AttrFloat, F: v}
}

func strAttr(name, v string) *ir.Attr { return &ir.Attr{Name: name, Kind: ir.AttrString, S: v} }

// buildConvBN: Conv(x, w, b) → BatchNormalization.
func buildConvBN() *ir.Graph {
	b := newGB("conv_bn")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(2), ir.D(5), ir.D(5)}))
	w := b.constant("w", ir.FromSlice(f32s(3*2*3*3, func(i int) float32 { return float32(i%7)*0.1 - 0.3 }), 3, 2, 3, 3))
	bias := b.constant("b", ir.FromSlice([]float32{0.1, -0.2, 0.3}, 3))
	conv := b.op("Conv", ir.Attrs{"pads": intsAttr("pads", 1, 1, 1, 1)}, 1, x, w, bias)[0]
	sc := b.constant("scale", ir.FromSlice([]float32{1, 2, 0.5}, 3))
	sh := b.constant("shift", ir.FromSlice([]float32{0, 1, -1}, 3))
	mean := b.constant("mean", ir.FromSlice([]float32{0.1, 0.2, 0.3}, 3))
	vr := b.constant("var", ir.FromSlice([]float32{1, 4, 0.25}, 3))
	y := b.op("BatchNormalization", ir.Attrs{"epsilon": floatAttr("epsilon", 1e-5)}, 1, conv, sc, sh, mean, vr)[0]
	return b.output(y)
}

// buildConvTransposeBN: ConvTranspose(x, w) with two groups (weights
// [Cin=4, Cout/group=2, 3, 3], no bias) → BatchNormalization over its 4
// output channels.
func buildConvTransposeBN() *ir.Graph {
	b := newGB("convt_bn")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(4), ir.D(3), ir.D(3)}))
	w := b.constant("w", ir.FromSlice(f32s(4*2*3*3, func(i int) float32 { return float32(i%7)*0.1 - 0.3 }), 4, 2, 3, 3))
	ct := b.op("ConvTranspose", ir.Attrs{"group": intAttr("group", 2), "strides": intsAttr("strides", 2, 2)}, 1, x, w)[0]
	sc := b.constant("scale", ir.FromSlice([]float32{1, 2, 0.5, 3}, 4))
	sh := b.constant("shift", ir.FromSlice([]float32{0, 1, -1, 0.5}, 4))
	mean := b.constant("mean", ir.FromSlice([]float32{0.1, 0.2, 0.3, -0.4}, 4))
	vr := b.constant("var", ir.FromSlice([]float32{1, 4, 0.25, 2}, 4))
	y := b.op("BatchNormalization", nil, 1, ct, sc, sh, mean, vr)[0]
	return b.output(y)
}

// buildGemmBN: Gemm(x, w^T, c) → BatchNormalization.
func buildGemmBN() *ir.Graph {
	b := newGB("gemm_bn")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(4)}))
	w := b.constant("w", ir.FromSlice(f32s(3*4, func(i int) float32 { return float32(i%5)*0.2 - 0.4 }), 3, 4))
	c := b.constant("c", ir.FromSlice([]float32{0.5, -0.5, 1}, 3))
	gm := b.op("Gemm", ir.Attrs{"transB": intAttr("transB", 1), "beta": floatAttr("beta", 2)}, 1, x, w, c)[0]
	sc := b.constant("scale", ir.FromSlice([]float32{1, 2, 0.5}, 3))
	sh := b.constant("shift", ir.FromSlice([]float32{0, 1, -1}, 3))
	mean := b.constant("mean", ir.FromSlice([]float32{0.1, 0.2, 0.3}, 3))
	vr := b.constant("var", ir.FromSlice([]float32{1, 4, 0.25}, 3))
	y := b.op("BatchNormalization", nil, 1, gm, sc, sh, mean, vr)[0]
	return b.output(y)
}

// buildMatMulAdd: batched MatMul with constant weights, then a bias Add
// (bias first, as PyTorch writes it), a Relu, and a second projection.
func buildMatMulAdd() *ir.Graph {
	b := newGB("matmul_add")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("batch"), ir.D(3), ir.D(4)}))
	w1 := b.constant("w1", ir.FromSlice(f32s(4*5, func(i int) float32 { return float32(i%3)*0.25 - 0.25 }), 4, 5))
	b1 := b.constant("b1", ir.FromSlice(f32s(5, func(i int) float32 { return float32(i) * 0.1 }), 1, 5))
	w2 := b.constant("w2", ir.FromSlice(f32s(5*2, func(i int) float32 { return float32(i%4)*0.5 - 0.5 }), 5, 2))
	mm := b.op("MatMul", nil, 1, x, w1)[0]
	add := b.op("Add", nil, 1, b1, mm)[0]
	r := b.op("Relu", nil, 1, add)[0]
	y := b.op("MatMul", nil, 1, r, w2)[0]
	return b.output(y)
}

// buildEpilogue: Conv → Add(per-channel constant) → Add(residual) → Clip;
// Gemm → Add(residual) → Sigmoid whose input is also used elsewhere.
func buildEpilogue() *ir.Graph {
	b := newGB("epilogue")
	x := b.input("x", ir.TensorType(ir.Float32, 1, 2, 4, 4))
	res := b.input("res", ir.TensorType(ir.Float32, 1, 3, 4, 4))
	w := b.constant("w", ir.FromSlice(f32s(3*2, func(i int) float32 { return float32(i)*0.1 - 0.2 }), 3, 2, 1, 1))
	conv := b.op("Conv", nil, 1, x, w)[0]
	cb := b.constant("cb", ir.FromSlice([]float32{0.5, -0.5, 0.25}, 3, 1, 1))
	a1 := b.op("Add", nil, 1, conv, cb)[0]
	a2 := b.op("Add", nil, 1, res, a1)[0]
	lo, hi := b.constant("lo", scalarF(0)), b.constant("hi", scalarF(6))
	y := b.op("Clip", nil, 1, a2, lo, hi)[0]

	m := b.input("m", ir.TensorType(ir.Float32, 2, 3))
	r2 := b.input("r2", ir.TensorType(ir.Float32, 2, 4))
	gw := b.constant("gw", ir.FromSlice(f32s(12, func(i int) float32 { return float32(i) * 0.05 }), 3, 4))
	gm := b.op("Gemm", nil, 1, m, gw)[0]
	ga := b.op("Add", nil, 1, gm, r2)[0]
	sg := b.op("Sigmoid", nil, 1, ga)[0]
	other := b.op("Neg", nil, 1, ga)[0] // keeps ga alive: Sigmoid is not fused
	return b.output(y, sg, other)
}

// buildGeluErf: x*0.5*(1+erf(x/sqrt2)) as PyTorch exports it, plus the
// x*(0.5*...) ordering on a second branch.
func buildGeluErf() *ir.Graph {
	b := newGB("gelu_erf")
	x := b.input("x", batchX)
	d := b.op("Div", nil, 1, x, b.constant("sqrt2", scalarF(float32(math.Sqrt2))))[0]
	e := b.op("Erf", nil, 1, d)[0]
	a := b.op("Add", nil, 1, e, b.constant("one", scalarF(1)))[0]
	m := b.op("Mul", nil, 1, x, a)[0]
	y := b.op("Mul", nil, 1, m, b.constant("half", scalarF(0.5)))[0]

	h := b.op("Mul", nil, 1, y, b.constant("half2", scalarF(0.5)))[0]
	d2 := b.op("Mul", nil, 1, b.constant("isqrt2", scalarF(float32(1/math.Sqrt2))), y)[0]
	e2 := b.op("Erf", nil, 1, d2)[0]
	a2 := b.op("Add", nil, 1, b.constant("one2", scalarF(1)), e2)[0]
	z := b.op("Mul", nil, 1, a2, h)[0]
	return b.output(z)
}

// buildGeluTanh: the tanh approximation with Pow(x, 3).
func buildGeluTanh() *ir.Graph {
	b := newGB("gelu_tanh")
	x := b.input("x", batchX)
	p := b.op("Pow", nil, 1, x, b.constant("three", scalarF(3)))[0]
	w := b.op("Mul", nil, 1, b.constant("c", scalarF(0.044715)), p)[0]
	v := b.op("Add", nil, 1, x, w)[0]
	u := b.op("Mul", nil, 1, v, b.constant("k", scalarF(float32(math.Sqrt(2/math.Pi)))))[0]
	t := b.op("Tanh", nil, 1, u)[0]
	a := b.op("Add", nil, 1, t, b.constant("one", scalarF(1)))[0]
	h := b.op("Mul", nil, 1, a, b.constant("half", scalarF(0.5)))[0]
	y := b.op("Mul", nil, 1, h, x)[0]
	return b.output(y)
}

// buildLayerNorm: the decomposed form over the last axis with scale and
// shift, opset 17 (ReduceMean axes as an attribute).
func buildLayerNorm() *ir.Graph {
	b := newGB("layernorm")
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("batch"), ir.D(3), ir.D(4)}))
	axes := ir.Attrs{"axes": intsAttr("axes", -1)}
	m := b.op("ReduceMean", axes, 1, x)[0]
	d := b.op("Sub", nil, 1, x, m)[0]
	p := b.op("Pow", nil, 1, d, b.constant("two", scalarF(2)))[0]
	v := b.op("ReduceMean", axes, 1, p)[0]
	e := b.op("Add", nil, 1, v, b.constant("eps", scalarF(1e-5)))[0]
	s := b.op("Sqrt", nil, 1, e)[0]
	n := b.op("Div", nil, 1, d, s)[0]
	g := b.op("Mul", nil, 1, n, b.constant("gamma", ir.FromSlice([]float32{1, 2, 3, 4}, 4)))[0]
	y := b.op("Add", nil, 1, g, b.constant("beta", ir.FromSlice([]float32{0, 0.5, 1, 1.5}, 4)))[0]
	return b.output(y)
}

// buildTransposes: composed and identity transposes, a size-1 move, a
// transposed MatMul operand and a Reshape chain.
func buildTransposes() *ir.Graph {
	b := newGB("transposes")
	x := b.input("x", ir.TensorType(ir.Float32, 2, 3, 4))
	t1 := b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", 1, 0, 2)}, 1, x)[0]
	t2 := b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", 1, 0, 2)}, 1, t1)[0] // identity overall
	t3 := b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", 2, 0, 1)}, 1, t2)[0]
	u := b.input("u", ir.TensorType(ir.Float32, 1, 5, 4))
	tu := b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", 1, 0, 2)}, 1, u)[0] // moves a 1: Reshape
	a := b.input("a", ir.TensorType(ir.Float32, 6, 4))
	w := b.input("w", ir.TensorType(ir.Float32, 5, 4))
	wt := b.op("Transpose", nil, 1, w)[0]
	mm := b.op("MatMul", nil, 1, a, wt)[0]
	r1 := b.op("Reshape", nil, 1, mm, b.constant("s1", ir.FromSlice([]int64{3, 10}, 2)))[0]
	r2 := b.op("Reshape", nil, 1, r1, b.constant("s2", ir.FromSlice([]int64{-1, 5}, 2)))[0]
	return b.output(t3, tu, r2)
}

// buildGeluFunctionBody: the erf form as the ONNX function body of Gelu
// writes it: constants through CastLike, √2 as Sqrt(2), 1+erf as Sum.
func buildGeluFunctionBody() *ir.Graph {
	b := newGB("gelu_function_body")
	x := b.input("x", batchX)
	like := func(name string, v float32) *ir.Value {
		return b.op("CastLike", nil, 1, b.constant(name, scalarF(v)), x)[0]
	}
	half, one, two := like("half", 0.5), like("one", 1), like("two", 2)
	sq := b.op("Sqrt", nil, 1, two)[0]
	e := b.op("Erf", nil, 1, b.op("Div", nil, 1, x, sq)[0])[0]
	phi := b.op("Sum", nil, 1, one, e)[0]
	hx := b.op("Mul", nil, 1, half, x)[0]
	y := b.op("Mul", nil, 1, hx, phi)[0]
	return b.output(y)
}

var fuseGoldenCases = []goldenCase{
	{"fuse_gelu_function_body", "gelu", buildGeluFunctionBody},
	{"fuse_batchnorm_conv", "fold-batchnorm", buildConvBN},
	{"fuse_batchnorm_gemm", "fold-batchnorm", buildGemmBN},
	{"fuse_batchnorm_convtranspose", "fold-batchnorm", buildConvTransposeBN},
	{"fuse_matmul_add", "matmul-add", buildMatMulAdd},
	{"fuse_epilogue", "fuse-epilogue", buildEpilogue},
	{"fuse_gelu_erf", "gelu", buildGeluErf},
	{"fuse_gelu_tanh", "gelu", buildGeluTanh},
	{"fuse_layernorm", "layernorm", buildLayerNorm},
	{"fuse_transpose", "transpose", buildTransposes},
}

// TestFusePassesLeaveUnfusableAlone checks that the passes do not touch
// what they must not: a BatchNormalization in training mode, a bias that
// broadcasts to a larger shape, and float64 products.
func TestFusePassesLeaveUnfusableAlone(t *testing.T) {
	b := newGB("unfusable")
	x := b.input("x", ir.TensorType(ir.Float64, 2, 4))
	w := b.constant("w", ir.FromSlice([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2))
	mm := b.op("MatMul", nil, 1, x, w)[0]
	y := b.op("Relu", nil, 1, mm)[0]
	x2 := b.input("x2", ir.TensorType(ir.Float32, 1, 4))
	w2 := b.constant("w2", ir.FromSlice(f32s(8, func(i int) float32 { return float32(i) }), 4, 2))
	mm2 := b.op("MatMul", nil, 1, x2, w2)[0]
	big := b.constant("big", ir.FromSlice(f32s(6, func(i int) float32 { return float32(i) }), 3, 2))
	z := b.op("Add", nil, 1, mm2, big)[0] // broadcasts [1,2] to [3,2]
	g := b.output(y, z)
	if err := Run(g, &Context{Verify: true}); err != nil {
		t.Fatal(err)
	}
	text := ir.Format(g)
	for _, want := range []string{"= MatMul(%x, %w)", "= Relu(", "= Add("} {
		if !strings.Contains(text, want) {
			t.Errorf("expected %q to survive:\n%s", want, text)
		}
	}
}

// FuseGoldenGraphs exposes the golden graphs and the pass each exercises
// to the numerical tests (package passes_test).
func FuseGoldenGraphs() map[string]struct {
	Pass  string
	Build func() *ir.Graph
} {
	out := map[string]struct {
		Pass  string
		Build func() *ir.Graph
	}{}
	for _, c := range fuseGoldenCases {
		out[c.name] = struct {
			Pass  string
			Build func() *ir.Graph
		}{c.pass, c.build}
	}
	return out
}

func TestFusionPassesAreInTheTable(t *testing.T) {
	for _, name := range FusionPasses() {
		if !known(name) {
			t.Errorf("FusionPasses lists %q, which is not in the pass table", name)
		}
	}
}
