package passes_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/passes"
	"github.com/nncc/nncc/runtime"
)

// Numerical tests of the fusion passes: every graph runs through the
// runtime twice, with one pass disabled and with it enabled, and the
// outputs must agree within a relative 1e-4. The fused graph must really
// differ from the unfused one (the pass fired).

// tg is a small graph builder for these tests.
type tg struct {
	g   *ir.Graph
	n   int
	rng *rand.Rand
}

func newTG(name string) *tg {
	return &tg{g: &ir.Graph{Name: name, Opsets: map[string]int64{"": 17}}, rng: rand.New(rand.NewPCG(1, 2))}
}

func (b *tg) input(name string, shape ...int64) *ir.Value {
	v := &ir.Value{Name: name, Type: ir.TensorType(ir.Float32, shape...)}
	b.g.Inputs = append(b.g.Inputs, v)
	return v
}

// weights adds a random float32 constant.
func (b *tg) weights(shape ...int64) *ir.Value {
	n := ir.NumElements(shape)
	d := make([]float32, n)
	for i := range d {
		d[i] = float32(b.rng.NormFloat64() * 0.5)
	}
	return b.konst(ir.FromSlice(d, shape...))
}

func (b *tg) konst(t *ir.Tensor) *ir.Value {
	b.n++
	v := &ir.Value{Name: fmt.Sprintf("c%d", b.n), Type: ir.TypeOfTensor(t), Const: t}
	b.g.Constants = append(b.g.Constants, v)
	return v
}

func (b *tg) op(op string, attrs ir.Attrs, ins ...*ir.Value) *ir.Value {
	b.n++
	if attrs == nil {
		attrs = ir.Attrs{}
	}
	opset := int64(17)
	if op == "Gelu" {
		opset = 20
	}
	o := &ir.Value{Name: fmt.Sprintf("v%d", b.n)}
	b.g.AddNode(&ir.Node{Name: fmt.Sprintf("%s_%d", op, b.n), Op: op, Opset: opset, Inputs: ins, Outputs: []*ir.Value{o}, Attrs: attrs})
	return o
}

func (b *tg) out(vs ...*ir.Value) *ir.Graph {
	b.g.Outputs = append(b.g.Outputs, vs...)
	return b.g
}

func ints(v ...int64) *ir.Attr { return &ir.Attr{Kind: ir.AttrInts, Ints: v} }
func iattr(v int64) *ir.Attr   { return &ir.Attr{Kind: ir.AttrInt, I: v} }
func fattr(v float32) *ir.Attr { return &ir.Attr{Kind: ir.AttrFloat, F: v} }
func sattr(v string) *ir.Attr  { return &ir.Attr{Kind: ir.AttrString, S: v} }
func named(a ir.Attrs) ir.Attrs {
	for k, v := range a {
		v.Name = k
	}
	return a
}

// randomInputs makes inputs for g's inputs (symbolic dims become 2).
func randomInputs(g *ir.Graph, seed uint64) map[string]*ir.Tensor {
	rng := rand.New(rand.NewPCG(seed, 7))
	out := map[string]*ir.Tensor{}
	for _, v := range g.Inputs {
		shape := make([]int64, len(v.Type.Shape))
		for i, d := range v.Type.Shape {
			shape[i] = 2
			if d.Known() {
				shape[i] = d.Size
			}
		}
		t := ir.NewTensor(v.Type.DType, shape)
		switch d := t.Data.(type) {
		case []float32:
			for i := range d {
				d[i] = float32(rng.NormFloat64())
			}
		case []float64:
			for i := range d {
				d[i] = rng.NormFloat64()
			}
		}
		out[v.Name] = t
	}
	return out
}

// compareFused runs build() with pass disabled and enabled and compares.
func compareFused(t *testing.T, name, pass string, build func() *ir.Graph) {
	t.Helper()
	ctx := context.Background()
	ref, err := runtime.NewSession(build(), runtime.Options{Threads: 1, DisablePasses: []string{pass}, VerifyPasses: true})
	if err != nil {
		t.Fatalf("%s: unfused session: %v", name, err)
	}
	defer ref.Close()
	for _, threads := range []int{1, 3} {
		opt, err := runtime.NewSession(build(), runtime.Options{Threads: threads, VerifyPasses: true})
		if err != nil {
			t.Fatalf("%s: fused session: %v", name, err)
		}
		in := randomInputs(opt.Graph(), 42)
		want, err := ref.Run(ctx, in)
		if err != nil {
			t.Fatalf("%s: unfused run: %v", name, err)
		}
		got, err := opt.Run(ctx, in)
		if err != nil {
			t.Fatalf("%s: fused run: %v", name, err)
		}
		if ir.Format(opt.Graph()) == ir.Format(ref.Graph()) {
			t.Errorf("%s: pass %s changed nothing:\n%s", name, pass, ir.Format(opt.Graph()))
		}
		for k, w := range want {
			assertClose(t, name+"/"+k, w, got[k])
		}
		// A second run reuses the plan and its buffers.
		got2, err := opt.Run(ctx, in)
		if err != nil {
			t.Fatalf("%s: second fused run: %v", name, err)
		}
		for k, w := range want {
			assertClose(t, name+"/"+k+" (run 2)", w, got2[k])
		}
		opt.Close()
	}
}

func assertClose(t *testing.T, what string, want, got *ir.Tensor) {
	t.Helper()
	if got == nil || fmt.Sprint(want.Shape) != fmt.Sprint(got.Shape) || want.DType != got.DType {
		t.Fatalf("%s: got %v, want shape %v %v", what, got, want.DType, want.Shape)
	}
	w, g := toF64(want), toF64(got)
	for i := range w {
		if d := math.Abs(w[i] - g[i]); d > 1e-4*math.Max(math.Abs(w[i]), 1e-1) || math.IsNaN(g[i]) != math.IsNaN(w[i]) {
			t.Fatalf("%s: element %d: got %v, want %v", what, i, g[i], w[i])
		}
	}
}

func toF64(t *ir.Tensor) []float64 {
	switch d := t.Data.(type) {
	case []float32:
		out := make([]float64, len(d))
		for i, v := range d {
			out[i] = float64(v)
		}
		return out
	case []float64:
		return d
	}
	panic("unexpected dtype")
}

func TestFuseGoldenGraphsNumerically(t *testing.T) {
	cases := passes.FuseGoldenGraphs()
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := cases[n]
		t.Run(n, func(t *testing.T) { compareFused(t, n, c.Pass, c.Build) })
	}
}

// convCase is one Conv configuration.
type convCase struct {
	name  string
	x, w  []int64
	attrs ir.Attrs
}

var convCases = []convCase{
	{"3x3_pad", []int64{1, 3, 9, 9}, []int64{8, 3, 3, 3}, ir.Attrs{"pads": ints(1, 1, 1, 1)}},
	{"stride2_dil2", []int64{2, 4, 11, 10}, []int64{5, 4, 3, 2}, ir.Attrs{"strides": ints(2, 2), "dilations": ints(2, 1), "pads": ints(1, 0, 2, 1)}},
	{"group2", []int64{1, 4, 7, 7}, []int64{6, 2, 3, 3}, ir.Attrs{"group": iattr(2), "pads": ints(1, 1, 1, 1)}},
	{"depthwise", []int64{1, 4, 6, 6}, []int64{4, 1, 3, 3}, ir.Attrs{"group": iattr(4), "auto_pad": sattr("SAME_UPPER")}},
	{"pointwise", []int64{2, 16, 5, 5}, []int64{32, 16, 1, 1}, nil},
	{"conv1d", []int64{1, 3, 20}, []int64{4, 3, 5}, ir.Attrs{"strides": ints(3)}},
	{"conv3d", []int64{1, 2, 4, 5, 6}, []int64{3, 2, 2, 3, 2}, ir.Attrs{"pads": ints(0, 1, 1, 1, 0, 0)}},
	{"big", []int64{1, 16, 20, 20}, []int64{64, 16, 3, 3}, ir.Attrs{"pads": ints(1, 1, 1, 1)}},
}

// epilogues are what follows the Conv or Gemm in the epilogue tests.
var epilogues = []struct {
	name  string
	apply func(b *tg, y *ir.Value, out []int64, channelAxis int) *ir.Value
}{
	{"relu", func(b *tg, y *ir.Value, _ []int64, _ int) *ir.Value { return b.op("Relu", nil, y) }},
	{"bias_sigmoid", func(b *tg, y *ir.Value, out []int64, ax int) *ir.Value {
		shape := make([]int64, len(out)-ax)
		for i := range shape {
			shape[i] = 1
		}
		shape[0] = out[ax]
		return b.op("Sigmoid", nil, b.op("Add", nil, y, b.weights(shape...)))
	}},
	{"residual_relu", func(b *tg, y *ir.Value, out []int64, _ int) *ir.Value {
		r := b.input("r", out...)
		return b.op("Relu", nil, b.op("Add", nil, r, y))
	}},
	{"leaky", func(b *tg, y *ir.Value, _ []int64, _ int) *ir.Value {
		return b.op("LeakyRelu", named(ir.Attrs{"alpha": fattr(0.2)}), y)
	}},
	{"tanh", func(b *tg, y *ir.Value, _ []int64, _ int) *ir.Value { return b.op("Tanh", nil, y) }},
	{"gelu", func(b *tg, y *ir.Value, _ []int64, _ int) *ir.Value { return b.op("Gelu", nil, y) }},
	{"gelu_tanh", func(b *tg, y *ir.Value, _ []int64, _ int) *ir.Value {
		return b.op("Gelu", named(ir.Attrs{"approximate": sattr("tanh")}), y)
	}},
	{"hardsigmoid", func(b *tg, y *ir.Value, _ []int64, _ int) *ir.Value {
		return b.op("HardSigmoid", named(ir.Attrs{"alpha": fattr(0.3), "beta": fattr(0.4)}), y)
	}},
	{"clip", func(b *tg, y *ir.Value, _ []int64, _ int) *ir.Value {
		return b.op("Clip", nil, y, b.konst(ir.Scalar(float32(-0.5))), b.konst(ir.Scalar(float32(0.7))))
	}},
	{"clip_max_only", func(b *tg, y *ir.Value, _ []int64, _ int) *ir.Value {
		return b.op("Clip", nil, y, nil, b.konst(ir.Scalar(float32(0.7))))
	}},
	{"hardswish_elu_softplus", func(b *tg, y *ir.Value, _ []int64, _ int) *ir.Value {
		// only the first activation fuses; the rest stay separate
		return b.op("Softplus", nil, b.op("Elu", nil, b.op("HardSwish", nil, y)))
	}},
}

func TestFuseEpilogueConvNumerically(t *testing.T) {
	for _, cc := range convCases {
		for _, ep := range epilogues {
			name := cc.name + "/" + ep.name
			build := func() *ir.Graph {
				b := newTG(name)
				x := b.input("x", cc.x...)
				w := b.weights(cc.w...)
				bias := b.weights(cc.w[0])
				attrs := ir.Attrs{}
				for k, v := range cc.attrs {
					attrs[k] = v
				}
				y := b.op("Conv", named(attrs), x, w, bias)
				if err := ir.InferNode(y.Producer); err != nil {
					t.Fatal(err)
				}
				out, _ := y.Type.Shape.Concrete()
				return b.out(ep.apply(b, y, out, 1))
			}
			t.Run(name, func(t *testing.T) { compareFused(t, name, "fuse-epilogue", build) })
		}
	}
}

func TestFuseEpilogueGemmNumerically(t *testing.T) {
	type gemmCase struct {
		name           string
		a, b, c        []int64
		transA, transB int64
		alpha, beta    float32
		constB         bool
	}
	cases := []gemmCase{
		{"plain", []int64{5, 7}, []int64{7, 9}, []int64{9}, 0, 0, 1, 1, true},
		{"transA_transB_alpha_beta", []int64{7, 5}, []int64{9, 7}, []int64{1, 9}, 1, 1, 0.5, 2, true},
		{"full_c", []int64{5, 7}, []int64{7, 9}, []int64{5, 9}, 0, 0, 1, 0.5, true},
		{"column_c", []int64{5, 7}, []int64{7, 9}, []int64{5, 1}, 0, 0, 1, 1, true},
		{"scalar_c", []int64{5, 7}, []int64{7, 9}, []int64{}, 0, 0, 1, 1, true},
		{"no_c", []int64{70, 33}, []int64{65, 33}, nil, 0, 1, 1, 1, true},
		{"dynamic_b", []int64{6, 8}, []int64{8, 10}, []int64{10}, 0, 0, 1, 1, false},
		{"dynamic_b_transB_full_c", []int64{6, 8}, []int64{10, 8}, []int64{6, 10}, 0, 1, 1.5, 1, false},
	}
	for _, gc := range cases {
		for _, ep := range epilogues {
			name := gc.name + "/" + ep.name
			build := func() *ir.Graph {
				b := newTG(name)
				a := b.input("a", gc.a...)
				var w *ir.Value
				if gc.constB {
					w = b.weights(gc.b...)
				} else {
					w = b.input("w", gc.b...)
				}
				ins := []*ir.Value{a, w}
				if gc.c != nil {
					ins = append(ins, b.weights(gc.c...))
				}
				y := b.op("Gemm", named(ir.Attrs{"transA": iattr(gc.transA), "transB": iattr(gc.transB),
					"alpha": fattr(gc.alpha), "beta": fattr(gc.beta)}), ins...)
				if err := ir.InferNode(y.Producer); err != nil {
					t.Fatal(err)
				}
				out, _ := y.Type.Shape.Concrete()
				return b.out(ep.apply(b, y, out, 1))
			}
			// matmul-add converts the Gemm first; disable both to compare
			// against the plain Gemm kernel.
			t.Run(name, func(t *testing.T) { compareFused(t, name, "fuse-epilogue", build) })
		}
	}
}

func TestFuseMatMulAddNumerically(t *testing.T) {
	for _, shape := range [][]int64{{4, 6}, {2, 3, 6}, {2, 2, 3, 6}, {1, 64, 128}} {
		for _, ep := range epilogues {
			name := fmt.Sprint(shape) + "/" + ep.name
			build := func() *ir.Graph {
				b := newTG(name)
				x := b.input("x", shape...)
				k := shape[len(shape)-1]
				y := b.op("MatMul", nil, x, b.weights(k, 37))
				y = b.op("Add", nil, b.weights(37), y)
				if err := ir.InferNode(y.Producer.Inputs[1].Producer); err != nil {
					t.Fatal(err)
				}
				if err := ir.InferNode(y.Producer); err != nil {
					t.Fatal(err)
				}
				out, _ := y.Type.Shape.Concrete()
				return b.out(ep.apply(b, y, out, len(out)-1))
			}
			t.Run(name, func(t *testing.T) { compareFused(t, name, "matmul-add", build) })
		}
	}
}

func TestFoldBatchNormNumerically(t *testing.T) {
	for _, cc := range convCases {
		name := "conv_" + cc.name
		build := func() *ir.Graph {
			b := newTG(name)
			x := b.input("x", cc.x...)
			attrs := ir.Attrs{}
			for k, v := range cc.attrs {
				attrs[k] = v
			}
			y := b.op("Conv", named(attrs), x, b.weights(cc.w...))
			m := cc.w[0]
			vr := b.weights(m)
			for i, v := range vr.Const.F32() {
				vr.Const.F32()[i] = v*v + 0.1
			}
			y = b.op("BatchNormalization", nil, y, b.weights(m), b.weights(m), b.weights(m), vr)
			return b.out(b.op("Relu", nil, y))
		}
		t.Run(name, func(t *testing.T) { compareFused(t, name, "fold-batchnorm", build) })
	}
	// ConvTranspose: weights [Cin, Cout/group, k...], with and without a
	// bias, grouped and not.
	for _, ct := range []struct {
		name         string
		group, cin   int64
		coutG        int64
		bias         bool
		stride, kern int64
	}{
		{"plain", 1, 3, 4, true, 2, 3},
		{"grouped", 2, 4, 3, false, 1, 2},
		{"depthwise", 4, 4, 1, true, 2, 4},
	} {
		name := "convtranspose_" + ct.name
		build := func() *ir.Graph {
			b := newTG(name)
			x := b.input("x", 2, ct.cin, 5, 4)
			ins := []*ir.Value{x, b.weights(ct.cin, ct.coutG, ct.kern, ct.kern)}
			cout := ct.group * ct.coutG
			if ct.bias {
				ins = append(ins, b.weights(cout))
			}
			attrs := ir.Attrs{}
			attrs["group"] = &ir.Attr{Kind: ir.AttrInt, I: ct.group}
			attrs["strides"] = &ir.Attr{Kind: ir.AttrInts, Ints: []int64{ct.stride, ct.stride}}
			y := b.op("ConvTranspose", named(attrs), ins...)
			vr := b.weights(cout)
			for i, v := range vr.Const.F32() {
				vr.Const.F32()[i] = v*v + 0.1
			}
			return b.out(b.op("BatchNormalization", nil, y, b.weights(cout), b.weights(cout), b.weights(cout), vr))
		}
		t.Run(name, func(t *testing.T) { compareFused(t, name, "fold-batchnorm", build) })
	}
}

func TestFuseGeluLayerNormNumerically(t *testing.T) {
	build := func() *ir.Graph {
		b := newTG("ln_gelu")
		x := b.input("x", 3, 5, 16)
		axes := named(ir.Attrs{"axes": ints(-1)})
		m := b.op("ReduceMean", axes, x)
		d := b.op("Sub", nil, x, m)
		v := b.op("ReduceMean", axes, b.op("Mul", nil, d, d))
		s := b.op("Sqrt", nil, b.op("Add", nil, b.konst(ir.Scalar(float32(1e-5))), v))
		n := b.op("Div", nil, d, s)
		y := b.op("Add", nil, b.op("Mul", nil, b.weights(16), n), b.weights(1, 16))
		// erf-form GELU on the result
		e := b.op("Erf", nil, b.op("Mul", nil, y, b.konst(ir.Scalar(float32(0.70710678)))))
		g := b.op("Mul", nil, b.op("Mul", nil, y, b.konst(ir.Scalar(float32(0.5)))), b.op("Add", nil, e, b.konst(ir.Scalar(float32(1)))))
		// tanh-form with Mul(x, Mul(x, x))
		cube := b.op("Mul", nil, g, b.op("Mul", nil, g, g))
		in := b.op("Mul", nil, b.op("Add", nil, g, b.op("Mul", nil, cube, b.konst(ir.Scalar(float32(0.044715))))), b.konst(ir.Scalar(float32(0.7978845608))))
		tt := b.op("Add", nil, b.konst(ir.Scalar(float32(1))), b.op("Tanh", nil, in))
		z := b.op("Mul", nil, b.op("Mul", nil, tt, b.konst(ir.Scalar(float32(0.5)))), g)
		return b.out(z)
	}
	for _, pass := range []string{"gelu", "layernorm"} {
		t.Run(pass, func(t *testing.T) { compareFused(t, "ln_gelu", pass, build) })
	}
	// The fused graph has one LayerNormalization and two Gelu (before
	// fuse-elementwise merges the two Gelu into one loop).
	s, err := runtime.NewSession(build(), runtime.Options{Threads: 1, DisablePasses: []string{"fuse-elementwise"}})
	if err != nil {
		t.Fatal(err)
	}
	text := ir.Format(s.Graph())
	if strings.Count(text, "= LayerNormalization(") != 1 || strings.Count(text, "= Gelu(") != 2 {
		t.Errorf("expected one LayerNormalization and two Gelu:\n%s", text)
	}
}

func TestFoldTransposesNumerically(t *testing.T) {
	build := func() *ir.Graph {
		b := newTG("transposes")
		x := b.input("x", 2, 3, 4)
		t1 := b.op("Transpose", named(ir.Attrs{"perm": ints(2, 0, 1)}), x)
		t2 := b.op("Transpose", named(ir.Attrs{"perm": ints(0, 2, 1)}), t1)
		u := b.input("u", 5, 1, 4)
		tu := b.op("Transpose", named(ir.Attrs{"perm": ints(1, 0, 2)}), u)
		a := b.input("a", 4, 6)
		w := b.input("w", 5, 4)
		mm := b.op("MatMul", nil, b.op("Transpose", nil, a), b.op("Transpose", nil, w))
		r := b.op("Reshape", nil, b.op("Reshape", nil, mm, b.konst(ir.FromSlice([]int64{3, 10}, 2))), b.konst(ir.FromSlice([]int64{-1, 15}, 2)))
		gm := b.op("Gemm", named(ir.Attrs{"transB": iattr(1)}), b.op("Transpose", nil, a), b.op("Transpose", nil, b.input("v", 4, 3)))
		return b.out(t2, tu, r, gm)
	}
	compareFused(t, "transposes", "transpose", build)
}

// TestFusedKernelsDoNotAllocate runs fused graphs in steady state and
// counts allocations per Run.
func TestFusedKernelsDoNotAllocate(t *testing.T) {
	graphs := map[string]func() *ir.Graph{
		"gemm": func() *ir.Graph {
			b := newTG("gemm")
			x := b.input("x", 2, 8, 16)
			r := b.input("r", 2, 8, 24)
			y := b.op("Add", nil, b.op("MatMul", nil, x, b.weights(16, 24)), b.weights(24))
			return b.out(b.op("Tanh", nil, b.op("Add", nil, y, r)))
		},
		"conv": func() *ir.Graph {
			b := newTG("conv")
			x := b.input("x", 1, 4, 12, 12)
			r := b.input("r", 1, 4, 12, 12) // 4 output channels: too few for layout-nchwc, so FusedConv runs
			y := b.op("Conv", named(ir.Attrs{"pads": ints(1, 1, 1, 1)}), x, b.weights(4, 4, 3, 3), b.weights(4))
			return b.out(b.op("Sigmoid", nil, b.op("Add", nil, y, r)))
		},
	}
	for name, build := range graphs {
		s, err := runtime.NewSession(build(), runtime.Options{Threads: 1})
		if err != nil {
			t.Fatal(err)
		}
		in := randomInputs(s.Graph(), 1)
		ordered := make([]*ir.Tensor, len(s.Inputs()))
		for i, v := range s.Inputs() {
			ordered[i] = in[v.Name]
		}
		outs := make([]*ir.Tensor, len(s.Outputs()))
		ctx := context.Background()
		if err := s.RunInto(ctx, ordered, outs); err != nil {
			t.Fatal(err)
		}
		allocs := allocstest.PerRun(20, func() {
			if err := s.RunInto(ctx, ordered, outs); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > 0 {
			t.Errorf("%s: %v allocations per Run", name, allocs)
		}
		if !strings.Contains(ir.Format(s.Graph()), "nncc.Fused") {
			t.Errorf("%s: nothing was fused", name)
		}
		s.Close()
	}
}
