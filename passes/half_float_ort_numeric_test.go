package passes_test

import (
	"context"
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// halfFloatORTBlock builds a float16 model whose rounding points depend
// on where ONNX Runtime rounds: a float32 input the model casts to
// float16 into a Conv, a Relu and a Transpose (isolated: it joins the
// float32 run), a second Conv, a Concat whose first operand is another
// input the model casts to float16 (it keeps its float16 kernel, so the
// Conv's result is rounded there), a third Conv and a Sigmoid cast to a
// float32 output. With twin it builds the float32 graph that rounds to
// float16 at exactly those places (the second input and the second
// Conv's result, by a Cast pair); with twin and noRound it rounds
// nowhere.
func halfFloatORTBlock(twin, noRound bool) *ir.Graph {
	b := newTG("half_float_ort")
	weights := func(shape ...int64) *ir.Value {
		d := make([]ir.F16, ir.NumElements(shape))
		for i := range d {
			d[i] = ir.NewFloat16(float32(b.rng.NormFloat64() * 0.4))
		}
		if !twin {
			return b.konst(ir.FromSlice(d, shape...))
		}
		f := make([]float32, len(d))
		for i, h := range d {
			f[i] = h.Float32()
		}
		return b.konst(ir.FromSlice(f, shape...))
	}
	cast := func(v *ir.Value, to ir.DType) *ir.Value {
		return b.op("Cast", named(ir.Attrs{"to": iattr(int64(to))}), v)
	}
	// half is v as the float16 model has it: cast to float16, or in the
	// twin rounded through float16 (unless noRound).
	half := func(v *ir.Value) *ir.Value {
		switch {
		case !twin:
			return cast(v, ir.Float16)
		case noRound:
			return v
		}
		return cast(cast(v, ir.Float16), ir.Float32)
	}
	x := b.input("x", 1, 4, 9, 9)
	u := b.input("u", 1, 4, 9, 9)
	y := x
	if !twin {
		y = cast(x, ir.Float16)
	}
	y = b.op("Relu", nil, b.op("Conv", named(ir.Attrs{"pads": ints(1, 1, 1, 1)}), y, weights(4, 4, 3, 3), weights(4)))
	y = b.op("Transpose", named(ir.Attrs{"perm": ints(0, 1, 3, 2)}), y)
	y = b.op("Conv", named(ir.Attrs{"pads": ints(1, 1, 1, 1)}), y, weights(4, 4, 3, 3))
	if twin {
		y = half(y)
	}
	y = b.op("Concat", named(ir.Attrs{"axis": iattr(1)}), half(u), y)
	y = b.op("Sigmoid", nil, b.op("Conv", nil, y, weights(3, 8, 1, 1), weights(3)))
	if twin {
		return b.out(y)
	}
	return b.out(cast(y, ir.Float32))
}

// TestHalfFloatRoundsWhereORTDoes: with half-float the float16 model
// gives the float32 twin that rounds where ONNX Runtime rounds (up to the
// float32 summation order, far below a float16 step), while the twin that
// rounds nowhere is a float16 step away somewhere: the roundings matter
// and are where the twin puts them.
func TestHalfFloatRoundsWhereORTDoes(t *testing.T) {
	run := func(g *ir.Graph, opts runtime.Options, in map[string]*ir.Tensor) []float32 {
		t.Helper()
		s, err := runtime.NewSession(g, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		out, err := s.Run(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		return out[s.Outputs()[0].Name].Data.([]float32)
	}
	in := randomInputs(halfFloatORTBlock(true, false), 12)
	want := run(halfFloatORTBlock(true, false), runtime.Options{Threads: 1}, in)
	unrounded := run(halfFloatORTBlock(true, true), runtime.Options{Threads: 1}, in)
	step := func(v float32) float64 { return math.Max(math.Abs(float64(v)), 1.0/(1<<14)) / 1024 }
	for _, threads := range []int{1, 3} {
		got := run(halfFloatORTBlock(false, false), runtime.Options{Threads: threads, VerifyPasses: true}, in)
		far := 0.0
		for i := range got {
			if math.IsNaN(float64(got[i])) || math.Abs(float64(got[i]-want[i])) > step(want[i])/64 {
				t.Fatalf("threads %d [%d]: got %v, the twin rounding where ONNX Runtime does %v", threads, i, got[i], want[i])
			}
			far = math.Max(far, math.Abs(float64(got[i]-unrounded[i]))/step(unrounded[i]))
		}
		if far < 0.25 {
			t.Errorf("threads %d: within %.3f float16 steps of the twin that rounds nowhere: the roundings do not show", threads, far)
		}
		t.Logf("threads %d: %.3f float16 steps from the twin that rounds nowhere", threads, far)
	}
}
