package kernels

import (
	"fmt"
	"math/rand"
	goruntime "runtime"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// Tests of the float32 fast paths of Gemm, MatMul, Conv, the recurrent
// ops and pooling: each runs with its weights as build-time constants
// (prepacked) and as plain inputs, serially and on a parallel pool, and is
// compared with the float64 path of the same op (the portable code).

// f32Run builds op with the inputs flagged in consts given as constants of
// the node, runs it on pool and returns the outputs.
func f32Run(op string, attrs ir.Attrs, nOut int, consts []bool, pool Pool, planned bool, in ...*ir.Tensor) ([]*ir.Tensor, Func, *Ctx, error) {
	n := &ir.Node{Name: "n", Op: op, Opset: 22, Attrs: attrs}
	if n.Attrs == nil {
		n.Attrs = ir.Attrs{}
	}
	for k, a := range n.Attrs {
		a.Name = k
	}
	var types []*ir.Type
	for i, t := range in {
		if t == nil {
			n.Inputs = append(n.Inputs, nil)
			types = append(types, nil)
			continue
		}
		v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(t)}
		if i < len(consts) && consts[i] {
			v.Const = t
		}
		n.Inputs = append(n.Inputs, v)
		types = append(types, &v.Type)
	}
	for i := range nOut {
		n.Outputs = append(n.Outputs, &ir.Value{Name: fmt.Sprint("out", i)})
	}
	if err := ir.InferNode(n); err != nil {
		return nil, nil, nil, fmt.Errorf("infer: %w", err)
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types})
	if err != nil {
		return nil, nil, nil, err
	}
	c := &Ctx{Outs: make([]*ir.Tensor, nOut), Pool: pool, Node: n}
	if planned {
		for _, o := range n.Outputs {
			s, ok := o.Type.Shape.Concrete()
			if !ok {
				return nil, nil, nil, fmt.Errorf("output shape %v not known", o.Type.Shape)
			}
			c.Planned = append(c.Planned, ir.NewTensor(o.Type.DType, s))
		}
	}
	if err := f(c, in); err != nil {
		return nil, nil, nil, err
	}
	return c.Outs, f, c, nil
}

func f32ToF64(t *ir.Tensor) *ir.Tensor {
	if t == nil || t.DType != ir.Float32 {
		return t
	}
	out := ir.NewTensor(ir.Float64, t.Shape)
	for i, v := range t.F32() {
		ir.Data[float64](out)[i] = float64(v)
	}
	return out
}

// f32Check runs op every way and compares with the float64 path.
func f32Check(t *testing.T, name, op string, attrs ir.Attrs, nOut int, consts []bool, in ...*ir.Tensor) {
	t.Helper()
	in64 := make([]*ir.Tensor, len(in))
	for i, x := range in {
		in64[i] = f32ToF64(x)
	}
	want, _, _, err := f32Run(op, attrs, nOut, nil, Serial{}, false, in64...)
	if err != nil {
		t.Fatalf("%s: float64: %v", name, err)
	}
	for _, cst := range [][]bool{nil, consts} {
		for _, pool := range []Pool{Serial{}, testPool{3}} {
			got, _, _, err := f32Run(op, attrs, nOut, cst, pool, false, in...)
			if err != nil {
				t.Fatalf("%s (consts %v, %d threads): %v", name, cst, pool.Threads(), err)
			}
			for i := range nOut {
				if want[i] == nil {
					continue
				}
				w := make([]float32, want[i].Len())
				for j, v := range ir.Data[float64](want[i]) {
					w[j] = float32(v)
				}
				nntClose(t, fmt.Sprintf("%s (consts %v, %d threads) output %d", name, cst, pool.Threads(), i), got[i].F32(), w, 1e-4)
			}
		}
	}
}

func TestGemmMatMulF32Paths(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for _, tc := range []struct {
		ta, tb  int
		m, n, k int64
		cshape  []int64
	}{
		{0, 0, 5, 7, 9, []int64{7}}, {0, 1, 70, 130, 33, []int64{1, 130}}, {1, 0, 3, 65, 17, []int64{1}},
		{1, 1, 64, 64, 64, []int64{64, 64}}, {0, 1, 1, 200, 50, nil}, {0, 0, 9, 1, 3, []int64{9, 1}}, {0, 1, 4, 6, 0, []int64{}},
	} {
		as := []int64{tc.m, tc.k}
		if tc.ta != 0 {
			as = []int64{tc.k, tc.m}
		}
		bs := []int64{tc.k, tc.n}
		if tc.tb != 0 {
			bs = []int64{tc.n, tc.k}
		}
		in := []*ir.Tensor{nntRand(rng, as...), nntRand(rng, bs...)}
		if tc.cshape != nil {
			in = append(in, nntRand(rng, tc.cshape...))
		}
		attrs := nntAttrs("transA", tc.ta, "transB", tc.tb, "alpha", 0.75, "beta", 1.5)
		f32Check(t, fmt.Sprintf("Gemm %+v", tc), "Gemm", attrs, 1, []bool{false, true, true}, in...)
	}
	for _, tc := range [][2][]int64{
		{{3, 40, 48}, {48, 40}}, {{2, 3, 5, 7}, {3, 7, 4}}, {{5, 7}, {2, 7, 9}}, {{7}, {7, 66}}, {{4, 1, 6, 8}, {1, 3, 8, 70}}, {{8}, {8}},
	} {
		f32Check(t, fmt.Sprintf("MatMul %v", tc), "MatMul", nil, 1, []bool{false, true}, nntRand(rng, tc[0]...), nntRand(rng, tc[1]...))
	}
}

func TestConvF32Algorithms(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	for _, tc := range []struct {
		name   string
		xs, ws []int64
		attrs  ir.Attrs
		want   convAlgo
	}{
		{"im2col", []int64{2, 3, 9, 9}, []int64{8, 3, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1}), convFlat}, // AVX-512: conv_flat.go
		{"pointwise", []int64{2, 8, 9, 9}, []int64{16, 8, 1, 1}, nil, convPointwise},
		{"packed", []int64{1, 16, 6, 6}, []int64{70, 16, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1}, "strides", []int64{2, 2}), convPacked},
		{"packed pointwise", []int64{2, 80, 4, 4}, []int64{96, 80, 1, 1}, nil, convPacked},
		{"packed groups", []int64{2, 8, 5, 5}, []int64{130, 4, 3, 3}, nntAttrs("group", 2), convPacked},
		{"depthwise", []int64{2, 6, 11, 11}, []int64{6, 1, 3, 3}, nntAttrs("group", 6, "pads", []int64{1, 1, 1, 1}), convDepthwise},
		{"depthwise mult", []int64{1, 4, 9, 8}, []int64{8, 1, 5, 3}, nntAttrs("group", 4, "strides", []int64{2, 1}, "dilations", []int64{1, 2}), convDepthwise},
		// Large enough (dwParMACs) to split one image's planes over threads.
		{"depthwise split planes", []int64{1, 24, 40, 40}, []int64{48, 1, 3, 3}, nntAttrs("group", 24, "pads", []int64{1, 1, 1, 1}), convDepthwise},
		{"depthwise split images", []int64{3, 7, 33, 30}, []int64{7, 1, 3, 3}, nntAttrs("group", 7, "strides", []int64{2, 2}), convDepthwise},
		{"groups", []int64{3, 6, 7, 7}, []int64{9, 2, 3, 3}, nntAttrs("group", 3, "auto_pad", "SAME_UPPER"), convFlat},
		{"1-D", []int64{2, 3, 20}, []int64{5, 3, 4}, nntAttrs("strides", []int64{3}), convIm2col},
		{"1-D wide", []int64{2, 3, 200}, []int64{5, 3, 4}, nil, convIm2col},
		{"3-D", []int64{1, 2, 5, 4, 6}, []int64{3, 2, 2, 3, 2}, nil, convIm2col},
	} {
		m := tc.ws[0]
		in := []*ir.Tensor{nntRand(rng, tc.xs...), nntRand(rng, tc.ws...), nntRand(rng, m)}
		f32Check(t, tc.name, "Conv", tc.attrs, 1, []bool{false, true, true}, in...)
		f32Check(t, tc.name+" no bias", "Conv", tc.attrs, 1, []bool{false, true}, in[:2]...)
		// The algorithm the constant-weight build chooses.
		_, f, _, err := f32Run("Conv", tc.attrs, 1, []bool{false, true}, Serial{}, false, in[:2]...)
		if err != nil || f == nil {
			t.Fatal(err)
		}
		spec, _ := newConvSpec(&Build{Node: &ir.Node{Attrs: withNames(tc.attrs)}})
		g, err := spec.resolve(&Ctx{}, tc.xs, tc.ws, false)
		if err != nil {
			t.Fatal(err)
		}
		k := &convKernel{spec: spec, level: isa.AVX512}
		k.prepack(&Build{Node: &ir.Node{Inputs: []*ir.Value{{}, {Const: in[1]}}, Attrs: withNames(tc.attrs)},
			InTypes: []*ir.Type{ptrType(ir.TypeOfTensor(in[0]))}})
		// The expected choices are those of the AVX-512 panel shapes, which
		// only amd64 builds have (elsewhere the level falls back to the
		// portable kernel's panels and its costs).
		if goruntime.GOARCH != "amd64" {
			continue
		}
		if got := convChooseLevel(g, k.w != nil, k.level); got != tc.want {
			t.Errorf("%s: algorithm %d, want %d", tc.name, got, tc.want)
		}
	}
}

func withNames(a ir.Attrs) ir.Attrs {
	if a == nil {
		return ir.Attrs{}
	}
	for k, v := range a {
		v.Name = k
	}
	return a
}

func ptrType(t ir.Type) *ir.Type { return &t }

func TestRecurrentF32Paths(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	const seq, batch, in, hid = 5, 3, 7, 6
	for _, op := range []struct {
		name  string
		gates int64
		nOut  int
		attrs ir.Attrs
	}{
		{"LSTM", 4, 3, nil},
		{"LSTM", 4, 3, nntAttrs("direction", "bidirectional", "clip", 0.7)},
		{"LSTM", 4, 3, nntAttrs("direction", "reverse", "input_forget", 1)},
		{"LSTM", 4, 3, nntAttrs("activations", []string{"HardSigmoid", "Relu", "Softsign"})},
		{"GRU", 3, 2, nil},
		{"GRU", 3, 2, nntAttrs("linear_before_reset", 1, "direction", "bidirectional")},
		{"GRU", 3, 2, nntAttrs("clip", 0.5, "direction", "reverse")},
		{"RNN", 1, 2, nil},
		{"RNN", 1, 2, nntAttrs("direction", "bidirectional", "activations", []string{"Relu", "Tanh"})},
	} {
		D := int64(1)
		if a, ok := op.attrs["direction"]; ok && a.S == "bidirectional" {
			D = 2
		}
		G := op.gates
		x := nntRand(rng, seq, batch, in)
		w := nntRand(rng, D, G*hid, in)
		r := nntRand(rng, D, G*hid, hid)
		b := nntRand(rng, D, 2*G*hid)
		h0 := nntRand(rng, D, batch, hid)
		lens := ir.FromSlice([]int32{5, 2, 0}, 3)
		full := ir.FromSlice([]int32{5, 5, 5}, 3)
		consts := []bool{false, true, true, true}
		for _, set := range []struct {
			name string
			in   []*ir.Tensor
		}{
			{"plain", []*ir.Tensor{x, w, r}},
			{"bias h0", []*ir.Tensor{x, w, r, b, nil, h0}},
			{"lens", []*ir.Tensor{x, w, r, b, lens, h0}},
			{"full lens", []*ir.Tensor{x, w, r, nil, full}},
		} {
			ins := set.in
			if op.name == "LSTM" && len(ins) == 6 {
				ins = append(append([]*ir.Tensor{}, ins...), nntRand(rng, D, batch, hid), nntRand(rng, D, 3*hid))
			}
			f32Check(t, fmt.Sprintf("%s %v %s", op.name, op.attrs, set.name), op.name, withNames(op.attrs), op.nOut, consts, ins...)
		}
	}
}

// TestRecurrentAllocations checks that a recurrent node with constant
// weights allocates nothing per Run once its outputs are planned.
func TestRecurrentAllocations(t *testing.T) {
	rng := rand.New(rand.NewSource(14))
	for _, op := range []struct {
		name  string
		gates int64
		nOut  int
	}{{"LSTM", 4, 3}, {"GRU", 3, 2}, {"RNN", 1, 2}} {
		x := nntRand(rng, 6, 1, 8)
		w := nntRand(rng, 1, op.gates*16, 8)
		r := nntRand(rng, 1, op.gates*16, 16)
		b := nntRand(rng, 1, 2*op.gates*16)
		in := []*ir.Tensor{x, w, r, b}
		_, f, c, err := f32Run(op.name, nntAttrs("hidden_size", 16), op.nOut, []bool{false, true, true, true}, Serial{}, true, in...)
		if err != nil {
			t.Fatal(err)
		}
		if got := allocstest.PerRun(20, func() {
			if err := f(c, in); err != nil {
				t.Fatal(err)
			}
		}); got > 0 {
			t.Errorf("%s: %v allocations per Run", op.name, got)
		}
	}
}

func TestPoolF32Paths(t *testing.T) {
	rng := rand.New(rand.NewSource(15))
	for _, tc := range []struct {
		op    string
		xs    []int64
		attrs ir.Attrs
	}{
		{"MaxPool", []int64{2, 3, 9, 9}, nntAttrs("kernel_shape", []int64{3, 3}, "strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1})},
		{"MaxPool", []int64{2, 3, 8, 9}, nntAttrs("kernel_shape", []int64{2, 2}, "strides", []int64{2, 2})},
		{"MaxPool", []int64{1, 3, 7, 9}, nntAttrs("kernel_shape", []int64{2, 2}, "strides", []int64{2, 2}, "ceil_mode", 1)},
		{"MaxPool", []int64{1, 2, 8, 7}, nntAttrs("kernel_shape", []int64{2, 3}, "ceil_mode", 1, "strides", []int64{2, 2}, "dilations", []int64{2, 1})},
		{"AveragePool", []int64{2, 3, 9, 9}, nntAttrs("kernel_shape", []int64{3, 3}, "strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1})},
		{"AveragePool", []int64{2, 3, 9, 9}, nntAttrs("kernel_shape", []int64{3, 3}, "pads", []int64{1, 2, 1, 0}, "count_include_pad", 1)},
		{"AveragePool", []int64{1, 2, 8, 7}, nntAttrs("kernel_shape", []int64{2, 3}, "ceil_mode", 1, "strides", []int64{3, 2})},
		{"AveragePool", []int64{1, 2, 8, 7}, nntAttrs("kernel_shape", []int64{2, 3}, "ceil_mode", 1, "strides", []int64{3, 2}, "count_include_pad", 1, "pads", []int64{1, 1, 1, 1})},
		{"GlobalAveragePool", []int64{2, 3, 5, 7}, nil},
		{"GlobalMaxPool", []int64{2, 3, 5, 7}, nil},
	} {
		f32Check(t, fmt.Sprintf("%s %v", tc.op, tc.xs), tc.op, withNames(tc.attrs), 1, nil, nntRand(rng, tc.xs...))
	}
}

// TestNNF32Allocations checks that every float32 algorithm of Conv and the
// 2-D and global pools allocates nothing per Run once outputs are planned.
func TestNNF32Allocations(t *testing.T) {
	rng := rand.New(rand.NewSource(16))
	for _, tc := range []struct {
		name   string
		op     string
		attrs  ir.Attrs
		in     []*ir.Tensor
		consts []bool
	}{
		{"conv im2col", "Conv", nntAttrs("pads", []int64{1, 1, 1, 1}), []*ir.Tensor{nntRand(rng, 1, 3, 9, 9), nntRand(rng, 8, 3, 3, 3), nntRand(rng, 8)}, []bool{false, true, true}},
		{"conv pointwise", "Conv", nil, []*ir.Tensor{nntRand(rng, 2, 8, 9, 9), nntRand(rng, 16, 8, 1, 1), nntRand(rng, 16)}, []bool{false, true, true}},
		{"conv packed", "Conv", nntAttrs("pads", []int64{1, 1, 1, 1}), []*ir.Tensor{nntRand(rng, 1, 16, 5, 5), nntRand(rng, 64, 16, 3, 3), nntRand(rng, 64)}, []bool{false, true, true}},
		{"conv depthwise", "Conv", nntAttrs("group", 6), []*ir.Tensor{nntRand(rng, 2, 6, 9, 9), nntRand(rng, 6, 1, 3, 3), nntRand(rng, 6)}, []bool{false, true, true}},
		{"maxpool 2x2", "MaxPool", nntAttrs("kernel_shape", []int64{2, 2}, "strides", []int64{2, 2}), []*ir.Tensor{nntRand(rng, 1, 4, 8, 8)}, nil},
		{"avgpool", "AveragePool", nntAttrs("kernel_shape", []int64{3, 3}, "pads", []int64{1, 1, 1, 1}), []*ir.Tensor{nntRand(rng, 1, 4, 8, 8)}, nil},
		{"global avg", "GlobalAveragePool", nil, []*ir.Tensor{nntRand(rng, 1, 4, 8, 8)}, nil},
		{"gemm row bias", "Gemm", nntAttrs("transB", 1), []*ir.Tensor{nntRand(rng, 5, 8), nntRand(rng, 7, 8), nntRand(rng, 7)}, []bool{false, false, false}},
		{"matmul batched", "MatMul", nil, []*ir.Tensor{nntRand(rng, 3, 5, 8), nntRand(rng, 3, 8, 7)}, []bool{false, true}},
	} {
		_, f, c, err := f32Run(tc.op, withNames(tc.attrs), 1, tc.consts, Serial{}, true, tc.in...)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := allocstest.PerRun(20, func() {
			if err := f(c, tc.in); err != nil {
				t.Fatal(err)
			}
		}); got > 0 {
			t.Errorf("%s: %v allocations per Run", tc.name, got)
		}
	}
}
