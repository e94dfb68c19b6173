package kernels

import (
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestGemmOp(t *testing.T) {
	a := ir.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)  // 2×3
	b := ir.FromSlice([]float32{1, 0, 0, 1, 1, 1}, 3, 2)  // 3×2
	at := ir.FromSlice([]float32{1, 4, 2, 5, 3, 6}, 3, 2) // aᵀ
	bt := ir.FromSlice([]float32{1, 0, 1, 0, 1, 1}, 2, 3) // bᵀ
	ab := []float32{4, 5, 10, 11}                         // a·b
	cases := []struct {
		name  string
		attrs ir.Attrs
		in    []*ir.Tensor
		want  []float32
	}{
		{"plain", nil, []*ir.Tensor{a, b}, ab},
		{"transA transB", nntAttrs("transA", 1, "transB", 1), []*ir.Tensor{at, bt}, ab},
		{"alpha beta scalar C", nntAttrs("alpha", 2.0, "beta", 0.5), []*ir.Tensor{a, b, ir.FromSlice([]float32{4}, 1)}, []float32{10, 12, 22, 24}},
		{"row C", nil, []*ir.Tensor{a, b, ir.FromSlice([]float32{1, 2}, 2)}, []float32{5, 7, 11, 13}},
		{"column C", nil, []*ir.Tensor{a, b, ir.FromSlice([]float32{1, 2}, 2, 1)}, []float32{5, 6, 12, 13}},
		{"beta 0 ignores C", nntAttrs("beta", 0.0), []*ir.Tensor{a, b, ir.FromSlice([]float32{1, 2, 3, 4}, 2, 2)}, ab},
	}
	for _, tc := range cases {
		outs, err := nntRun("Gemm", 13, tc.attrs, 1, tc.in...)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		nntClose(t, tc.name, outs[0].F32(), tc.want, 0)
	}
	// Integer Gemm stays exact.
	ai := ir.FromSlice([]int64{1, 2, 3, 4, 5, 6}, 2, 3)
	bi := ir.FromSlice([]int64{1, 0, 0, 1, 1, 1}, 3, 2)
	outs, err := nntRun("Gemm", 13, nil, 1, ai, bi, ir.FromSlice([]int64{1}, 1))
	if err != nil {
		t.Fatal(err)
	}
	if got := outs[0].I64(); got[0] != 5 || got[3] != 12 {
		t.Fatalf("int64 gemm = %v", got)
	}
	if _, err := nntRun("Gemm", 13, nil, 1, a, a); err == nil {
		t.Fatal("mismatched inner dims: no error")
	}
}

func TestMatMulShapes(t *testing.T) {
	rng := rand.New(rand.NewSource(6))
	cases := []struct {
		a, b, want []int64
	}{
		{[]int64{3}, []int64{3}, []int64{}},
		{[]int64{3}, []int64{2, 3, 4}, []int64{2, 4}},
		{[]int64{2, 5, 3}, []int64{3}, []int64{2, 5}},
		{[]int64{2, 1, 5, 3}, []int64{4, 3, 2}, []int64{2, 4, 5, 2}},
		{[]int64{7, 5, 3}, []int64{3, 6}, []int64{7, 5, 6}},
	}
	for _, tc := range cases {
		a, b := nntRand(rng, tc.a...), nntRand(rng, tc.b...)
		outs, err := nntRun("MatMul", 13, nil, 1, a, b)
		if err != nil {
			t.Fatalf("%v×%v: %v", tc.a, tc.b, err)
		}
		if !sameShape(outs[0].Shape, tc.want) {
			t.Fatalf("%v×%v: shape %v, want %v", tc.a, tc.b, outs[0].Shape, tc.want)
		}
		// Check against a per-batch naive product via float64 MatMul.
		a64 := &ir.Tensor{DType: ir.Float64, Shape: a.Shape, Data: nnConvertSlice[float32, float64](a.F32())}
		b64 := &ir.Tensor{DType: ir.Float64, Shape: b.Shape, Data: nnConvertSlice[float32, float64](b.F32())}
		o64, err := nntRun("MatMul", 13, nil, 1, a64, b64)
		if err != nil {
			t.Fatal(err)
		}
		nntClose(t, "matmul", outs[0].F32(), nnConvertSlice[float64, float32](o64[0].Data.([]float64)), 1e-5)
	}
}

func TestMatMulInteger(t *testing.T) {
	a := ir.FromSlice([]uint8{11, 7, 3, 10, 6, 1}, 2, 3)
	b := ir.FromSlice([]uint8{1, 4, 2, 5, 3, 6}, 3, 2)
	outs, err := nntRun("MatMulInteger", 10, nil, 1, a, b, ir.FromSlice([]uint8{12}, 1), ir.FromSlice([]uint8{0, 1}, 2))
	if err != nil {
		t.Fatal(err)
	}
	// (a-12)·(b - [0 1]).
	want := []int32{-1*1 + -5*2 + -9*3, -1*3 + -5*4 + -9*5, -2*1 + -6*2 + -11*3, -2*3 + -6*4 + -11*5}
	got := outs[0].Data.([]int32)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("MatMulInteger = %v, want %v", got, want)
		}
	}
}
