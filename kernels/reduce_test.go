package kernels

import (
	"math"
	"sync"
	"testing"

	"github.com/nncc/nncc/ir"
)

// rnRun builds and runs one node of op at the given opset with the given
// attributes and inputs (nil = omitted) and returns its nOut outputs.
func rnRun(t *testing.T, op string, opset int64, attrs ir.Attrs, nOut int, in ...*ir.Tensor) []*ir.Tensor {
	t.Helper()
	outs, err := rnTry(op, opset, attrs, nOut, in...)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return outs
}

func rnTry(op string, opset int64, attrs ir.Attrs, nOut int, in ...*ir.Tensor) ([]*ir.Tensor, error) {
	if attrs == nil {
		attrs = ir.Attrs{}
	}
	n := &ir.Node{Name: "n", Op: op, Opset: opset, Attrs: attrs}
	types := make([]*ir.Type, len(in))
	for i, x := range in {
		if x != nil {
			ty := ir.TypeOfTensor(x)
			types[i] = &ty
		}
		n.Inputs = append(n.Inputs, &ir.Value{Name: "in"})
	}
	for i := 0; i < nOut; i++ {
		n.Outputs = append(n.Outputs, &ir.Value{Name: "out"})
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types})
	if err != nil {
		return nil, err
	}
	c := &Ctx{Outs: make([]*ir.Tensor, nOut), Pool: rnTestPool{}, Node: n}
	if err := f(c, in); err != nil {
		return nil, err
	}
	return c.Outs, nil
}

// rnExpect compares a tensor with the expected shape and values.
func rnExpect(t *testing.T, name string, got *ir.Tensor, shape []int64, want []float64, tol float64) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: no output", name)
	}
	if !sameShape(got.Shape, shape) {
		t.Fatalf("%s: shape %v, want %v", name, got.Shape, shape)
	}
	if got.Len() != len(want) {
		t.Fatalf("%s: %d elements, want %d", name, got.Len(), len(want))
	}
	for i, w := range want {
		g := got.Float64At(i)
		switch {
		case math.IsNaN(w) && math.IsNaN(g):
		case math.IsInf(w, 0) && g == w:
		case math.Abs(g-w) <= tol*(1+math.Abs(w)):
		default:
			t.Fatalf("%s: element %d = %v, want %v (all %v)", name, i, g, w, got)
		}
	}
}

func rnAttrs(kv ...any) ir.Attrs {
	a := ir.Attrs{}
	for i := 0; i < len(kv); i += 2 {
		name := kv[i].(string)
		switch v := kv[i+1].(type) {
		case int:
			a.SetInt(name, int64(v))
		case []int64:
			a.SetInts(name, v)
		case float64:
			a.SetFloat(name, float32(v))
		case string:
			a.SetString(name, v)
		}
	}
	return a
}

func rnIota(n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(i)
	}
	return s
}

func TestReduce(t *testing.T) {
	x := ir.FromSlice(rnIota(12), 2, 3, 2)
	inf := math.Inf(1)
	cases := []struct {
		name  string
		op    string
		opset int64
		attrs ir.Attrs
		in    []*ir.Tensor
		shape []int64
		want  []float64
	}{
		{"sum axis1 attr", "ReduceSum", 11, rnAttrs("axes", []int64{1}, "keepdims", 0), []*ir.Tensor{x}, []int64{2, 2}, []float64{6, 9, 24, 27}},
		{"sum axes 0,2 input", "ReduceSum", 13, nil, []*ir.Tensor{x, ir.FromSlice([]int64{0, -1})}, []int64{1, 3, 1}, []float64{14, 22, 30}},
		{"sum all", "ReduceSum", 13, rnAttrs("keepdims", 0), []*ir.Tensor{x}, []int64{}, []float64{66}},
		{"sum noop", "ReduceSum", 13, rnAttrs("noop_with_empty_axes", 1), []*ir.Tensor{ir.FromSlice([]float32{1, -2}), ir.FromSlice([]int64{})}, []int64{2}, []float64{1, -2}},
		{"sumsquare noop", "ReduceSumSquare", 18, rnAttrs("noop_with_empty_axes", 1), []*ir.Tensor{ir.FromSlice([]float32{1, -2})}, []int64{2}, []float64{1, 4}},
		{"mean", "ReduceMean", 13, rnAttrs("axes", []int64{2}), []*ir.Tensor{x}, []int64{2, 3, 1}, []float64{0.5, 2.5, 4.5, 6.5, 8.5, 10.5}},
		{"mean int trunc", "ReduceMean", 18, nil, []*ir.Tensor{ir.FromSlice([]int32{1, 2})}, []int64{1}, []float64{1}},
		{"max", "ReduceMax", 18, rnAttrs("keepdims", 0), []*ir.Tensor{x, ir.FromSlice([]int64{1})}, []int64{2, 2}, []float64{4, 5, 10, 11}},
		{"max empty float", "ReduceMax", 20, nil, []*ir.Tensor{ir.NewTensor(ir.Float32, []int64{2, 0}), ir.FromSlice([]int64{1})}, []int64{2, 1}, []float64{-inf, -inf}},
		{"max empty int32", "ReduceMax", 20, nil, []*ir.Tensor{ir.NewTensor(ir.Int32, []int64{0})}, []int64{1}, []float64{math.MinInt32}},
		{"min empty uint8", "ReduceMin", 20, nil, []*ir.Tensor{ir.NewTensor(ir.Uint8, []int64{0})}, []int64{1}, []float64{255}},
		{"min", "ReduceMin", 11, rnAttrs("axes", []int64{0}, "keepdims", 0), []*ir.Tensor{ir.FromSlice([]int64{5, -3, 2, 7}, 2, 2)}, []int64{2}, []float64{2, -3}},
		{"prod int", "ReduceProd", 18, nil, []*ir.Tensor{ir.FromSlice([]int64{2, 3, 4})}, []int64{1}, []float64{24}},
		{"prod empty", "ReduceProd", 18, nil, []*ir.Tensor{ir.NewTensor(ir.Float64, []int64{0})}, []int64{1}, []float64{1}},
		{"l1", "ReduceL1", 18, nil, []*ir.Tensor{ir.FromSlice([]float64{-1, 2})}, []int64{1}, []float64{3}},
		{"l1 int", "ReduceL1", 18, nil, []*ir.Tensor{ir.FromSlice([]int32{-1, 2})}, []int64{1}, []float64{3}},
		{"l2", "ReduceL2", 11, nil, []*ir.Tensor{ir.FromSlice([]float32{3, 4})}, []int64{1}, []float64{5}},
		{"logsum", "ReduceLogSum", 18, nil, []*ir.Tensor{ir.FromSlice([]float32{1, 2})}, []int64{1}, []float64{math.Log(3)}},
		{"logsum empty", "ReduceLogSum", 18, nil, []*ir.Tensor{ir.NewTensor(ir.Float32, []int64{0})}, []int64{1}, []float64{-inf}},
		{"lse large", "ReduceLogSumExp", 18, nil, []*ir.Tensor{ir.FromSlice([]float64{1000, 1000})}, []int64{1}, []float64{1000 + math.Log(2)}},
		{"lse empty", "ReduceLogSumExp", 18, nil, []*ir.Tensor{ir.NewTensor(ir.Float32, []int64{0})}, []int64{1}, []float64{-inf}},
		{"sumsquare f16", "ReduceSumSquare", 13, nil, []*ir.Tensor{ir.FromSlice([]ir.F16{ir.NewFloat16(1), ir.NewFloat16(2)})}, []int64{1}, []float64{5}},
		{"mean empty nan", "ReduceMean", 13, nil, []*ir.Tensor{ir.NewTensor(ir.Float32, []int64{0})}, []int64{1}, []float64{math.NaN()}},
		{"max nan", "ReduceMax", 13, nil, []*ir.Tensor{ir.FromSlice([]float32{1, float32(math.NaN()), 3})}, []int64{1}, []float64{math.NaN()}},
		{"sum scalar", "ReduceSum", 13, nil, []*ir.Tensor{ir.Scalar(float32(7))}, []int64{}, []float64{7}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := rnRun(t, tc.op, tc.opset, tc.attrs, 1, tc.in...)
			rnExpect(t, tc.name, out[0], tc.shape, tc.want, 1e-6)
			if out[0].DType != tc.in[0].DType {
				t.Fatalf("dtype %v, want %v", out[0].DType, tc.in[0].DType)
			}
		})
	}
}

func TestReduceBool(t *testing.T) {
	x := ir.FromSlice([]bool{true, false, true, true}, 2, 2)
	ax := ir.FromSlice([]int64{1})
	mx := rnRun(t, "ReduceMax", 20, rnAttrs("keepdims", 0), 1, x, ax)[0].Data.([]bool)
	mn := rnRun(t, "ReduceMin", 20, rnAttrs("keepdims", 0), 1, x, ax)[0].Data.([]bool)
	if mx[0] != true || mx[1] != true || mn[0] != false || mn[1] != true {
		t.Fatalf("max %v min %v", mx, mn)
	}
	e := ir.NewTensor(ir.Bool, []int64{0})
	if v := rnRun(t, "ReduceMin", 20, nil, 1, e)[0].Data.([]bool); !v[0] {
		t.Fatalf("empty min of bool = %v, want true", v)
	}
	if _, err := rnTry("ReduceSum", 13, nil, 1, x); err == nil {
		t.Fatalf("ReduceSum of bool: expected an error")
	}
}

func TestReduceBadAxis(t *testing.T) {
	x := ir.FromSlice(rnIota(4), 2, 2)
	if _, err := rnTry("ReduceSum", 13, nil, 1, x, ir.FromSlice([]int64{2})); err == nil {
		t.Fatalf("expected an error for axis 2 of a rank-2 input")
	}
}

func TestRedPlanAgainstNaive(t *testing.T) {
	shape := []int64{3, 1, 4, 2, 5}
	n := ir.NumElements(shape)
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i%7) - 3
	}
	for m := 0; m < 1<<len(shape); m++ {
		mask := make([]bool, len(shape))
		for k := range mask {
			mask[k] = m&(1<<k) != 0
		}
		p := newRedPlan(shape, mask)
		got := make([]float64, p.outN)
		redFloatAcc(nil, redSum, x, got, nil, p)
		want := make([]float64, p.outN)
		idx := make([]int, len(shape))
		for i := 0; i < n; i++ {
			o := 0
			for k, d := range shape {
				if !mask[k] {
					o = o*int(d) + idx[k]
				}
			}
			want[o] += x[i]
			for k := len(shape) - 1; k >= 0; k-- {
				idx[k]++
				if idx[k] < int(shape[k]) {
					break
				}
				idx[k] = 0
			}
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("mask %v: out %d = %v, want %v", mask, i, got[i], want[i])
			}
		}
	}
}

// rnTestPool runs chunks of a loop on separate goroutines.
type rnTestPool struct{}

func (rnTestPool) For(n, grain int, fn func(lo, hi int)) {
	var wg sync.WaitGroup
	step := max((n+3)/4, 1) // ignores grain to exercise the parallel paths
	for lo := 0; lo < n; lo += step {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(lo, min(lo+step, n))
	}
	wg.Wait()
}

func (rnTestPool) Threads() int { return 4 }

func TestRedPlanParallel(t *testing.T) {
	shape := []int64{37, 3, 41, 11}
	n := ir.NumElements(shape)
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(i%13) - 6
	}
	for _, mask := range [][]bool{{false, true, false, true}, {false, false, true, true}, {false, true, true, false}, {true, false, true, false}} {
		for _, kind := range []redKind{redSum, redMax, redLogSumExp, redMean} {
			p := newRedPlan(shape, mask)
			a := make([]float64, p.outN)
			b := make([]float64, p.outN)
			redFloatAcc(nil, kind, x, a, make([]float64, p.outN), p)
			redFloatAcc(rnTestPool{}, kind, x, b, make([]float64, p.outN), p)
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("mask %v kind %d: out %d serial %v parallel %v", mask, kind, i, a[i], b[i])
				}
			}
		}
	}
}
