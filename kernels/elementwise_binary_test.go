package kernels

import (
	"math"
	"reflect"
	"testing"

	"github.com/nncc/nncc/ir"
)

// ewRun builds and runs one node of the default domain and returns its
// first output.
func ewRun(t *testing.T, op string, opset int64, attrs ir.Attrs, in ...*ir.Tensor) (*ir.Tensor, error) {
	t.Helper()
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
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types})
	if err != nil {
		return nil, err
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
	if err := f(c, in); err != nil {
		return nil, err
	}
	return c.Outs[0], nil
}

func ewMust(t *testing.T, op string, opset int64, attrs ir.Attrs, in ...*ir.Tensor) *ir.Tensor {
	t.Helper()
	out, err := ewRun(t, op, opset, attrs, in...)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return out
}

func ewT[T ir.Elem](shape []int64, v ...T) *ir.Tensor { return ir.FromSlice(v, shape...) }

func ewExpect(t *testing.T, name string, got *ir.Tensor, shape []int64, want any) {
	t.Helper()
	if !ewShapeEq(got.Shape, shape) {
		t.Fatalf("%s: shape %v, want %v", name, got.Shape, shape)
	}
	if !reflect.DeepEqual(got.Data, want) {
		t.Fatalf("%s: got %v, want %v", name, got.Data, want)
	}
}

func TestArithBroadcast(t *testing.T) {
	a := ewT([]int64{2, 3}, float32(1), 2, 3, 4, 5, 6)
	b := ewT([]int64{3}, float32(10), 20, 30)
	ewExpect(t, "add", ewMust(t, "Add", 14, nil, a, b), []int64{2, 3}, []float32{11, 22, 33, 14, 25, 36})
	ewExpect(t, "sub", ewMust(t, "Sub", 14, nil, b, a), []int64{2, 3}, []float32{9, 18, 27, 6, 15, 24})
	col := ewT([]int64{2, 1}, float32(2), 4)
	ewExpect(t, "div col", ewMust(t, "Div", 14, nil, a, col), []int64{2, 3}, []float32{0.5, 1, 1.5, 1, 1.25, 1.5})
	s := ewT([]int64{}, float32(3))
	ewExpect(t, "mul scalar", ewMust(t, "Mul", 14, nil, s, a), []int64{2, 3}, []float32{3, 6, 9, 12, 15, 18})
	// Outer product shape.
	r := ewT([]int64{1, 3}, int32(1), 2, 3)
	c := ewT([]int64{2, 1}, int32(10), 20)
	ewExpect(t, "outer", ewMust(t, "Mul", 14, nil, c, r), []int64{2, 3}, []int32{10, 20, 30, 20, 40, 60})
	// float16 computes through float32.
	h := ewT([]int64{2}, ir.NewFloat16(1.5), ir.NewFloat16(-2))
	ewExpect(t, "f16", ewMust(t, "Add", 14, nil, h, h), []int64{2}, []ir.F16{ir.NewFloat16(3), ir.NewFloat16(-4)})
	if _, err := ewRun(t, "Add", 14, nil, a, ewT([]int64{4}, float32(1), 2, 3, 4)); err == nil {
		t.Fatal("incompatible shapes should fail")
	}
	if _, err := ewRun(t, "Add", 14, nil, a, ewT([]int64{3}, int32(1), 2, 3)); err == nil {
		t.Fatal("mixed dtypes should fail")
	}
}

func TestIntegerDivMod(t *testing.T) {
	a := ewT([]int64{6}, int32(-4), 7, 5, 4, -7, 8)
	b := ewT([]int64{6}, int32(2), -3, 8, -2, 3, 5)
	ewExpect(t, "div", ewMust(t, "Div", 14, nil, a, b), []int64{6}, []int32{-2, -2, 0, -2, -2, 1})
	// fmod=0: the sign follows the divisor (the ONNX test's values).
	ewExpect(t, "mod", ewMust(t, "Mod", 13, nil, a, b), []int64{6}, []int32{0, -2, 5, 0, 2, 3})
	fm := ir.Attrs{}
	fm.SetInt("fmod", 1)
	ewExpect(t, "fmod", ewMust(t, "Mod", 13, fm, a, b), []int64{6}, []int32{0, 1, 5, 0, -1, 3})
	// Division by zero gives 0 rather than a crash.
	z := ewT([]int64{2}, int64(5), -5)
	zero := ewT([]int64{}, int64(0))
	ewExpect(t, "div0", ewMust(t, "Div", 14, nil, z, zero), []int64{2}, []int64{0, 0})
	ewExpect(t, "mod0", ewMust(t, "Mod", 13, nil, z, zero), []int64{2}, []int64{0, 0})
	// Float Mod needs fmod=1.
	f := ewT([]int64{2}, float32(-4.5), 7)
	if _, err := ewRun(t, "Mod", 13, nil, f, f); err == nil {
		t.Fatal("float Mod with fmod=0 should fail")
	}
	g := ewT([]int64{2}, float32(2), -3)
	ewExpect(t, "float fmod", ewMust(t, "Mod", 13, fm, f, g), []int64{2}, []float32{-0.5, 1})
}

func TestLegacyBroadcastOps(t *testing.T) {
	a := ewT([]int64{2, 3}, float32(1), 2, 3, 4, 5, 6)
	b := ewT([]int64{2}, float32(10), 20)
	attrs := ir.Attrs{}
	attrs.SetInt("broadcast", 1)
	attrs.SetInt("axis", 0)
	ewExpect(t, "legacy axis 0", ewMust(t, "Add", 6, attrs, a, b), []int64{2, 3}, []float32{11, 12, 13, 24, 25, 26})
	// Without broadcast=1 opset < 7 requires equal shapes.
	if _, err := ewRun(t, "Add", 6, ir.Attrs{"broadcast": {Name: "broadcast", Kind: ir.AttrInt, I: 0}}, a, ewT([]int64{3}, float32(1), 2, 3)); err == nil {
		t.Fatal("broadcast=0 with different shapes should fail")
	}
	// consumed_inputs is accepted and ignored.
	ci := ir.Attrs{}
	ci.SetInts("consumed_inputs", []int64{0, 0})
	ci.SetInt("broadcast", 1)
	ewExpect(t, "legacy trailing", ewMust(t, "Mul", 1, ci, a, ewT([]int64{3}, float32(1), 0, 2)), []int64{2, 3}, []float32{1, 0, 6, 4, 0, 12})
	// Comparisons have the legacy form too.
	ewExpect(t, "legacy less", ewMust(t, "Less", 1, attrs, a, ewT([]int64{2}, float32(2), 5)), []int64{2, 3},
		[]bool{true, false, false, true, false, false})
}

func TestPow(t *testing.T) {
	x := ewT([]int64{3}, float32(1), 2, 3)
	y := ewT([]int64{3}, float32(4), 5, 6)
	ewExpect(t, "f32", ewMust(t, "Pow", 15, nil, x, y), []int64{3}, []float32{1, 32, 729})
	xi := ewT([]int64{3}, int64(1), 2, 3)
	ewExpect(t, "int^float", ewMust(t, "Pow", 15, nil, xi, y), []int64{3}, []int64{1, 32, 729})
	ewExpect(t, "int^int", ewMust(t, "Pow", 15, nil, xi, ewT([]int64{}, int64(3))), []int64{3}, []int64{1, 8, 27})
	ewExpect(t, "float^uint", ewMust(t, "Pow", 15, nil, x, ewT([]int64{}, uint64(2))), []int64{3}, []float32{1, 4, 9})
	ewExpect(t, "int^negative", ewMust(t, "Pow", 15, nil, ewT([]int64{3}, int32(1), -1, 2), ewT([]int64{}, int32(-3))), []int64{3}, []int32{1, -1, 0})
	ewExpect(t, "sqrt", ewMust(t, "Pow", 15, nil, ewT([]int64{2}, float32(4), 9), ewT([]int64{}, float32(0.5))), []int64{2}, []float32{2, 3})
}

func TestVariadic(t *testing.T) {
	a := ewT([]int64{3}, float32(3), 2, 1)
	b := ewT([]int64{3}, float32(1), 4, 4)
	c := ewT([]int64{3}, float32(2), 5, 0)
	ewExpect(t, "sum", ewMust(t, "Sum", 13, nil, a, b, c), []int64{3}, []float32{6, 11, 5})
	ewExpect(t, "mean", ewMust(t, "Mean", 13, nil, a, b, c), []int64{3}, []float32{2, 11.0 / 3, 5.0 / 3})
	ewExpect(t, "max", ewMust(t, "Max", 13, nil, a, b, c), []int64{3}, []float32{3, 5, 4})
	ewExpect(t, "min one", ewMust(t, "Min", 13, nil, a), []int64{3}, []float32{3, 2, 1})
	// Broadcasting across inputs, and the first input broadcast too.
	s := ewT([]int64{1}, int16(2))
	m := ewT([]int64{2, 2}, int16(1), 5, -3, 2)
	ewExpect(t, "max bcast", ewMust(t, "Max", 13, nil, s, m), []int64{2, 2}, []int16{2, 5, 2, 2})
	// NaN propagates.
	n := ewT([]int64{2}, float32(math.NaN()), 1)
	o := ewT([]int64{2}, float32(0), float32(math.NaN()))
	got := ewMust(t, "Max", 13, nil, n, o).F32()
	if !math.IsNaN(float64(got[0])) || !math.IsNaN(float64(got[1])) {
		t.Fatalf("max NaN: %v", got)
	}
	got = ewMust(t, "Min", 13, nil, o, n).F32()
	if !math.IsNaN(float64(got[0])) || !math.IsNaN(float64(got[1])) {
		t.Fatalf("min NaN: %v", got)
	}
}

func benchBinary(b *testing.B, op string, as, bs []int64) {
	na, nb := ir.NumElements(as), ir.NumElements(bs)
	A := ir.FromSlice(make([]float32, na), as...)
	B := ir.FromSlice(make([]float32, nb), bs...)
	for i := range A.F32() {
		A.F32()[i] = float32(i % 97)
	}
	for i := range B.F32() {
		B.F32()[i] = 1 + float32(i%13)
	}
	node := &ir.Node{Name: "b", Op: op, Opset: 14, Attrs: ir.Attrs{}}
	f, err := BuildNode(&Build{Node: node})
	if err != nil {
		b.Fatal(err)
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: node}
	if err := f(c, []*ir.Tensor{A, B}); err != nil {
		b.Fatal(err)
	}
	c.Planned = []*ir.Tensor{c.Outs[0]}
	b.SetBytes(int64(4 * ir.NumElements(c.Outs[0].Shape)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := f(c, []*ir.Tensor{A, B}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddSameF32(b *testing.B)     { benchBinary(b, "Add", []int64{1 << 20}, []int64{1 << 20}) }
func BenchmarkAddScalarF32(b *testing.B)   { benchBinary(b, "Add", []int64{1 << 20}, []int64{}) }
func BenchmarkAddTrailingF32(b *testing.B) { benchBinary(b, "Add", []int64{1024, 1024}, []int64{1024}) }
func BenchmarkAddColumnF32(b *testing.B) {
	benchBinary(b, "Add", []int64{1024, 1024}, []int64{1024, 1})
}
