package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

// smRef is the softmax of a row computed the textbook way.
func smRef(row []float64) []float64 {
	s := 0.0
	for _, v := range row {
		s += math.Exp(v)
	}
	out := make([]float64, len(row))
	for i, v := range row {
		out[i] = math.Exp(v) / s
	}
	return out
}

func TestSoftmaxAxisSemantics(t *testing.T) {
	x := ir.FromSlice([]float32{0, 1, 2, 3, 4, 5, 6, 7}, 2, 2, 2)
	// Opset 11, axis 1: each of the 2 rows of 4 trailing elements.
	old := rnRun(t, "Softmax", 11, rnAttrs("axis", 1), 1, x)[0]
	want := append(smRef([]float64{0, 1, 2, 3}), smRef([]float64{4, 5, 6, 7})...)
	rnExpect(t, "opset 11", old, []int64{2, 2, 2}, want, 1e-6)
	// Opset 13, axis 1: pairs (0,2), (1,3), (4,6), (5,7).
	nw := rnRun(t, "Softmax", 13, rnAttrs("axis", 1), 1, x)[0]
	p := smRef([]float64{0, 2})
	rnExpect(t, "opset 13", nw, []int64{2, 2, 2}, []float64{p[0], p[0], p[1], p[1], p[0], p[0], p[1], p[1]}, 1e-6)
	// Default axes: 1 before 13, -1 after.
	d11 := rnRun(t, "Softmax", 11, nil, 1, x)[0]
	rnExpect(t, "default 11", d11, []int64{2, 2, 2}, want, 1e-6)
	d13 := rnRun(t, "Softmax", 13, nil, 1, x)[0]
	q := smRef([]float64{0, 1})
	rnExpect(t, "default 13", d13, []int64{2, 2, 2}, []float64{q[0], q[1], q[0], q[1], q[0], q[1], q[0], q[1]}, 1e-6)
}

func TestSoftmaxLargeAndLog(t *testing.T) {
	x := ir.FromSlice([]float64{1000, 1001, 1002}, 1, 3)
	y := rnRun(t, "Softmax", 13, nil, 1, x)[0]
	rnExpect(t, "large", y, []int64{1, 3}, smRef([]float64{0, 1, 2}), 1e-12)
	l := rnRun(t, "LogSoftmax", 13, nil, 1, x)[0]
	r := smRef([]float64{0, 1, 2})
	rnExpect(t, "log large", l, []int64{1, 3}, []float64{math.Log(r[0]), math.Log(r[1]), math.Log(r[2])}, 1e-12)
}

func TestHardmax(t *testing.T) {
	x := ir.FromSlice([]float32{3, 1, 3, 0, 2, 5}, 2, 3)
	y := rnRun(t, "Hardmax", 13, nil, 1, x)[0]
	rnExpect(t, "hardmax", y, []int64{2, 3}, []float64{1, 0, 0, 0, 0, 1}, 0)
	y0 := rnRun(t, "Hardmax", 13, rnAttrs("axis", 0), 1, x)[0]
	rnExpect(t, "hardmax axis 0", y0, []int64{2, 3}, []float64{1, 0, 0, 0, 1, 1}, 0)
	h := rnRun(t, "Hardmax", 1, rnAttrs("axis", 0), 1, x)[0]
	rnExpect(t, "hardmax opset 1 axis 0", h, []int64{2, 3}, []float64{0, 0, 0, 0, 0, 1}, 0)
}

func TestSoftmaxBF16AndErrors(t *testing.T) {
	x := ir.FromSlice([]ir.BF16{ir.NewBFloat16(0), ir.NewBFloat16(0)})
	y := rnRun(t, "Softmax", 13, nil, 1, x)[0]
	rnExpect(t, "bf16", y, []int64{2}, []float64{0.5, 0.5}, 0)
	if _, err := rnTry("Softmax", 13, rnAttrs("axis", 3), 1, x); err == nil {
		t.Fatalf("axis out of range: expected an error")
	}
	if _, err := rnTry("Softmax", 13, nil, 1, ir.FromSlice([]int32{1})); err == nil {
		t.Fatalf("int input: expected an error")
	}
}

func BenchmarkSoftmaxF32(b *testing.B) {
	x := ir.FromSlice(rnIota(8*64*64), 8, 64, 64)
	n := &ir.Node{Name: "n", Op: "Softmax", Opset: 17, Attrs: ir.Attrs{}}
	f, err := BuildNode(&Build{Node: n})
	if err != nil {
		b.Fatal(err)
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
	b.SetBytes(int64(x.Len() * 4))
	for i := 0; i < b.N; i++ {
		if err := f(c, []*ir.Tensor{x}); err != nil {
			b.Fatal(err)
		}
	}
}
