package kernels_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// The Gradient kernel is checked end to end through a runtime session
// (it needs the compiler for its gradient graph) against central finite
// differences of sum(y), in float64.

type gtNode struct {
	op    string
	in    []string
	out   string
	attrs ir.Attrs
	opset int64 // 0: 17
}

type gtInput struct {
	name  string
	shape []int64
}

type gtCase struct {
	name    string
	inputs  []gtInput
	consts  map[string]*ir.Tensor
	nodes   []gtNode
	y       string
	xs, zs  []string
	pos     bool     // positive inputs only (Log, Sqrt, Pow)
	capture bool     // run ir.CaptureGradientForward before the session
	outs    []string // extra graph outputs
}

func attrs(kv ...any) ir.Attrs {
	a := ir.Attrs{}
	for i := 0; i < len(kv); i += 2 {
		name := kv[i].(string)
		switch v := kv[i+1].(type) {
		case int:
			a.SetInt(name, int64(v))
		case float64:
			a.SetFloat(name, float32(v))
		case []int64:
			a.SetInts(name, v)
		}
	}
	return a
}

// gtGraph builds the case's graph: outputs are y, then d<y>/d<x> for each x.
func gtGraph(t *testing.T, c gtCase) *ir.Graph {
	t.Helper()
	g := &ir.Graph{Name: c.name, Opsets: map[string]int64{"": 17, ir.TrainingDomain: 1}}
	vals := map[string]*ir.Value{}
	for _, in := range c.inputs {
		v := &ir.Value{Name: in.name, Type: ir.TensorType(ir.Float64, in.shape...)}
		g.Inputs = append(g.Inputs, v)
		vals[in.name] = v
	}
	for name, tn := range c.consts {
		v := &ir.Value{Name: name, Type: ir.TypeOfTensor(tn), Const: tn}
		g.Constants = append(g.Constants, v)
		vals[name] = v
	}
	get := func(name string) *ir.Value {
		v, ok := vals[name]
		if !ok {
			t.Fatalf("test graph: no value %q", name)
		}
		return v
	}
	for _, n := range c.nodes {
		op := n.opset
		if op == 0 {
			op = 17
		}
		nd := &ir.Node{Name: n.out, Op: n.op, Opset: op, Attrs: n.attrs}
		if nd.Attrs == nil {
			nd.Attrs = ir.Attrs{}
		}
		for _, in := range n.in {
			nd.Inputs = append(nd.Inputs, get(in))
		}
		o := &ir.Value{Name: n.out}
		vals[n.out] = o
		nd.Outputs = []*ir.Value{o}
		g.AddNode(nd)
	}
	gn := &ir.Node{Name: "grad", Op: "Gradient", Domain: ir.TrainingDomain, Opset: 1, Attrs: ir.Attrs{}}
	gn.Attrs["xs"] = &ir.Attr{Name: "xs", Kind: ir.AttrStrings, Strings: c.xs}
	gn.Attrs.SetString("y", c.y)
	if c.zs != nil {
		gn.Attrs["zs"] = &ir.Attr{Name: "zs", Kind: ir.AttrStrings, Strings: c.zs}
	}
	for _, name := range append(append([]string{}, c.xs...), c.zs...) {
		gn.Inputs = append(gn.Inputs, get(name))
	}
	for _, x := range c.xs {
		gn.Outputs = append(gn.Outputs, &ir.Value{Name: "d" + c.y + "/d" + x})
	}
	g.AddNode(gn)
	g.Outputs = gn.Outputs
	if v, ok := vals[c.y]; ok {
		g.Outputs = append([]*ir.Value{v}, gn.Outputs...)
	}
	for _, name := range c.outs {
		g.Outputs = append(g.Outputs, get(name))
	}
	return g
}

func gtSession(t *testing.T, c gtCase) *runtime.Session {
	t.Helper()
	g := gtGraph(t, c)
	if c.capture {
		for _, n := range g.Nodes {
			if err := ir.InferNode(n); err != nil {
				t.Fatal(err)
			}
		}
		if err := ir.CaptureGradientForward(g); err != nil {
			t.Fatal(err)
		}
	}
	s, err := runtime.NewSession(g, runtime.Options{Threads: 1, VerifyPasses: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sumOf(t *ir.Tensor) float64 {
	s := 0.0
	for _, v := range ir.Data[float64](t) {
		s += v
	}
	return s
}

func TestGradientFiniteDifferences(t *testing.T) {
	f64 := func(v ...float64) *ir.Tensor { return ir.FromSlice(v, int64(len(v))) }
	i64 := func(v ...int64) *ir.Tensor { return ir.FromSlice(v, int64(len(v))) }
	cases := []gtCase{
		{name: "add_mul_broadcast", inputs: []gtInput{{"a", []int64{2, 3}}, {"b", []int64{3}}},
			nodes: []gtNode{{op: "Add", in: []string{"a", "b"}, out: "c"}, {op: "Mul", in: []string{"c", "a"}, out: "y"}},
			y:     "y", xs: []string{"a", "b"}},
		{name: "matmul_bias_relu_reducesum", inputs: []gtInput{{"a", []int64{2, 3}}, {"w", []int64{3, 4}}, {"bias", []int64{4}}},
			nodes: []gtNode{
				{op: "MatMul", in: []string{"a", "w"}, out: "m"},
				{op: "Add", in: []string{"m", "bias"}, out: "r"},
				{op: "Relu", in: []string{"r"}, out: "h"},
				{op: "ReduceSum", in: []string{"h"}, out: "y", attrs: attrs("keepdims", 0)},
			},
			y: "y", xs: []string{"w", "bias"}, zs: []string{"a"}},
		{name: "batched_matmul_sigmoid", inputs: []gtInput{{"A", []int64{2, 1, 3, 4}}, {"B", []int64{5, 4, 2}}},
			nodes: []gtNode{{op: "MatMul", in: []string{"A", "B"}, out: "m"}, {op: "Sigmoid", in: []string{"m"}, out: "y"}},
			y:     "y", xs: []string{"A", "B"}},
		{name: "matmul_vectors_tanh", inputs: []gtInput{{"v", []int64{3}}, {"M", []int64{2, 3, 4}}, {"u", []int64{4}}},
			nodes: []gtNode{
				{op: "MatMul", in: []string{"v", "M"}, out: "p"},
				{op: "MatMul", in: []string{"p", "u"}, out: "q"},
				{op: "Tanh", in: []string{"q"}, out: "y"},
			},
			y: "y", xs: []string{"v", "M", "u"}},
		{name: "div_exp_log_sub_neg", inputs: []gtInput{{"a", []int64{2, 3}}, {"b", []int64{2, 1}}}, pos: true,
			nodes: []gtNode{
				{op: "Div", in: []string{"a", "b"}, out: "d"},
				{op: "Neg", in: []string{"d"}, out: "nd"},
				{op: "Exp", in: []string{"nd"}, out: "e"},
				{op: "Add", in: []string{"e", "b"}, out: "eb"},
				{op: "Log", in: []string{"eb"}, out: "l"},
				{op: "Sub", in: []string{"l", "a"}, out: "y"},
			},
			y: "y", xs: []string{"a", "b"}},
		{name: "gemm_softmax", inputs: []gtInput{{"a", []int64{2, 3}}, {"w", []int64{4, 3}}, {"c", []int64{4}}, {"tgt", []int64{2, 4}}},
			nodes: []gtNode{
				{op: "Gemm", in: []string{"a", "w", "c"}, out: "g", attrs: attrs("transB", 1, "alpha", 0.5, "beta", 2.0)},
				{op: "Softmax", in: []string{"g"}, out: "s"},
				{op: "Mul", in: []string{"s", "tgt"}, out: "y"},
			},
			y: "y", xs: []string{"a", "w", "c"}, zs: []string{"tgt"}},
		{name: "gemm_transA_logsoftmax_opset11", inputs: []gtInput{{"a", []int64{3, 2}}, {"w", []int64{3, 4}}},
			nodes: []gtNode{
				{op: "Gemm", in: []string{"a", "w"}, out: "g", attrs: attrs("transA", 1), opset: 11},
				{op: "LogSoftmax", in: []string{"g"}, out: "y", opset: 11},
			},
			y: "y", xs: []string{"a", "w"}},
		{name: "movement_reduce_pow_sqrt", inputs: []gtInput{{"a", []int64{2, 3}}}, pos: true,
			consts: map[string]*ir.Tensor{"shape": i64(6), "three": ir.Scalar(3.0)},
			nodes: []gtNode{
				{op: "Transpose", in: []string{"a"}, out: "t"},
				{op: "Reshape", in: []string{"t", "shape"}, out: "r"},
				{op: "Concat", in: []string{"r", "r"}, out: "cc", attrs: attrs("axis", 0)},
				{op: "Pow", in: []string{"cc", "three"}, out: "p"},
				{op: "ReduceMean", in: []string{"p"}, out: "m", attrs: attrs("keepdims", 0)},
				{op: "Sqrt", in: []string{"a"}, out: "sq"},
				{op: "Sum", in: []string{"m", "sq", "a"}, out: "y"},
			},
			y: "y", xs: []string{"a"}},
		{name: "pow_both_abs_reciprocal_leakyrelu", inputs: []gtInput{{"a", []int64{2, 2}}, {"e", []int64{2}}}, pos: true,
			nodes: []gtNode{
				{op: "Pow", in: []string{"a", "e"}, out: "p"},
				{op: "Reciprocal", in: []string{"p"}, out: "rp"},
				{op: "Sub", in: []string{"rp", "e"}, out: "s"},
				{op: "LeakyRelu", in: []string{"s"}, out: "lr", attrs: attrs("alpha", 0.2)},
				{op: "Abs", in: []string{"lr"}, out: "y"},
			},
			y: "y", xs: []string{"a", "e"}},
		{name: "intermediate_x", inputs: []gtInput{{"a", []int64{3}}, {"b", []int64{3}}},
			nodes: []gtNode{{op: "Add", in: []string{"a", "b"}, out: "c"}, {op: "Mul", in: []string{"c", "c"}, out: "y"}},
			y:     "y", xs: []string{"c"}, outs: []string{"c"}},
		{name: "legacy_broadcast_opset6", inputs: []gtInput{{"a", []int64{2, 3}}, {"b", []int64{2}}},
			nodes: []gtNode{{op: "Mul", in: []string{"a", "b"}, out: "y", attrs: attrs("broadcast", 1, "axis", 0), opset: 6}},
			y:     "y", xs: []string{"a", "b"}},
		{name: "x_unused_and_constant", inputs: []gtInput{{"a", []int64{2}}, {"b", []int64{2}}},
			consts: map[string]*ir.Tensor{"k": f64(2, -3)},
			nodes:  []gtNode{{op: "Mul", in: []string{"a", "k"}, out: "y"}},
			y:      "y", xs: []string{"a", "b"}},
		{name: "captured", capture: true, inputs: []gtInput{{"a", []int64{2, 3}}, {"w", []int64{3, 4}}, {"bias", []int64{4}}},
			nodes: []gtNode{
				{op: "MatMul", in: []string{"a", "w"}, out: "m"},
				{op: "Add", in: []string{"m", "bias"}, out: "r"},
				{op: "Relu", in: []string{"r"}, out: "y"},
			},
			y: "y", xs: []string{"w", "bias"}, zs: []string{"a"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := gtSession(t, c)
			rng := rand.New(rand.NewPCG(1, uint64(len(c.name))))
			feed := map[string]*ir.Tensor{}
			for _, in := range c.inputs {
				tn := ir.NewTensor(ir.Float64, in.shape)
				d := ir.Data[float64](tn)
				for i := range d {
					d[i] = 2*rng.Float64() - 1
					if c.pos {
						d[i] = 0.5 + rng.Float64()
					}
				}
				feed[in.name] = tn
			}
			ctx := context.Background()
			out, err := s.Run(ctx, feed)
			if err != nil {
				t.Fatal(err)
			}
			f := func() float64 {
				o, err := s.Run(ctx, feed)
				if err != nil {
					t.Fatal(err)
				}
				return sumOf(o[c.y])
			}
			const h = 1e-6
			for _, x := range c.xs {
				// x may be an intermediate value: perturb it through a
				// graph whose input it is.
				target := feed[x]
				fx := f
				if target == nil {
					target = out[x]
					if target == nil {
						t.Fatalf("x %q is neither an input nor an output", x)
					}
					fx = func() float64 { return intermediateFD(t, c, x, target) }
				}
				grad := out["d"+c.y+"/d"+x]
				if grad == nil || !sameDims(grad.Shape, target.Shape) {
					t.Fatalf("d/d%s: got %v, want shape %v", x, grad, target.Shape)
				}
				td, gd := ir.Data[float64](target), ir.Data[float64](grad)
				for i := range td {
					old := td[i]
					td[i] = old + h
					fp := fx()
					td[i] = old - h
					fm := fx()
					td[i] = old
					want := (fp - fm) / (2 * h)
					if math.Abs(gd[i]-want) > 1e-5*(1+math.Abs(want)) {
						t.Errorf("d%s/d%s[%d] = %.9g, finite difference %.9g", c.y, x, i, gd[i], want)
					}
				}
			}
		})
	}
}

// intermediateFD evaluates sum(y) with the intermediate value x replaced
// by the tensor xv: the Gradient node itself computes at the point given
// by its inputs, so only its output is checked, against a rebuilt graph
// whose input x feeds the nodes after it.
func intermediateFD(t *testing.T, c gtCase, x string, xv *ir.Tensor) float64 {
	t.Helper()
	var nodes []gtNode
	for _, n := range c.nodes {
		if n.out != x {
			nodes = append(nodes, n)
		}
	}
	d := gtCase{name: c.name + "_fd", inputs: []gtInput{{x, xv.Shape}}, nodes: nodes, y: c.y, xs: []string{x}}
	s := gtSession(t, d)
	o, err := s.Run(context.Background(), map[string]*ir.Tensor{x: xv})
	if err != nil {
		t.Fatal(err)
	}
	return sumOf(o[c.y])
}

func sameDims(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestGradientErrors(t *testing.T) {
	cases := []struct {
		c    gtCase
		want string
	}{
		{gtCase{name: "no_rule", inputs: []gtInput{{"a", []int64{2}}},
			nodes: []gtNode{{op: "Floor", in: []string{"a"}, out: "y"}}, y: "y", xs: []string{"a"}}, "Floor"},
		{gtCase{name: "unknown_y", inputs: []gtInput{{"a", []int64{2}}},
			nodes: []gtNode{{op: "Neg", in: []string{"a"}, out: "n"}}, y: "nope", xs: []string{"a"}}, `"nope"`},
		{gtCase{name: "free_input", inputs: []gtInput{{"a", []int64{2}}, {"b", []int64{2}}},
			nodes: []gtNode{{op: "Add", in: []string{"a", "b"}, out: "y"}}, y: "y", xs: []string{"a"}}, `"b"`},
	}
	for _, tc := range cases {
		t.Run(tc.c.name, func(t *testing.T) {
			g := gtGraph(t, tc.c)
			s, err := runtime.NewSession(g, runtime.Options{Threads: 1})
			if err == nil {
				feed := map[string]*ir.Tensor{}
				for _, in := range tc.c.inputs {
					feed[in.name] = ir.NewTensor(ir.Float64, in.shape)
				}
				_, err = s.Run(context.Background(), feed)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got error %v, want one mentioning %s", err, tc.want)
			}
		})
	}
}
