package passes_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// halfFloatBlock builds a float16 model as float16 converters write it: a
// float32 input cast to float16, Convs with float16 weights (one with a
// bias, one grouped without), a Relu between, a residual Add and a
// Sigmoid, and the result cast back. With asFloat it builds the float32
// twin instead: the same weights widened, and neither the input nor the
// result rounded to float16, as ONNX Runtime runs the float16 model: it
// drops each of the model's Casts to float16 with its own Cast back to
// float32 (the region reads the float32 input; the last Cast, a graph
// output, reads the region's float32 result).
func halfFloatBlock(asFloat bool) *ir.Graph {
	b := newTG("half_float")
	work := ir.Float16
	if asFloat {
		work = ir.Float32
	}
	weights := func(shape ...int64) *ir.Value {
		d := make([]ir.F16, ir.NumElements(shape))
		for i := range d {
			d[i] = ir.NewFloat16(float32(b.rng.NormFloat64() * 0.3))
		}
		if !asFloat {
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
	x := b.input("x", 1, 4, 11, 9)
	y := x
	if !asFloat {
		y = cast(x, ir.Float16)
	}
	c1 := b.op("Conv", named(ir.Attrs{"pads": ints(1, 1, 1, 1)}), y, weights(8, 4, 3, 3), weights(8))
	y = b.op("Relu", nil, c1)
	y = b.op("Conv", named(ir.Attrs{"group": iattr(2), "pads": ints(0, 1, 0, 1)}), y, weights(8, 4, 1, 3))
	y = b.op("Sigmoid", nil, b.op("Add", nil, y, c1))
	if work == ir.Float32 {
		return b.out(y)
	}
	return b.out(cast(y, ir.Float32))
}

// TestHalfFloatNumerically: with half-float the float16 region runs in
// float32 and its output is the float32 twin's (neither rounds to
// float16; only the float32 summation order may differ, far below a
// float16 step), and it stays within the per-node roundings of the
// float16 kernels (four nodes, about one float16 step each).
func TestHalfFloatNumerically(t *testing.T) {
	ref16, err := runtime.NewSession(halfFloatBlock(false), runtime.Options{Threads: 1, DisablePasses: []string{"half-float"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ref16.Close()
	ref32, err := runtime.NewSession(halfFloatBlock(true), runtime.Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer ref32.Close()
	// step is one float16 step at v (2^-10 relative, subnormals aside).
	step := func(v float32) float64 { return math.Max(math.Abs(float64(v)), 1.0/(1<<14)) / 1024 }
	for _, threads := range []int{1, 3} {
		opt, err := runtime.NewSession(halfFloatBlock(false), runtime.Options{Threads: threads, VerifyPasses: true})
		if err != nil {
			t.Fatal(err)
		}
		if text := ir.Format(opt.Graph()); strings.Contains(text, "float16[8,4,3,3]") || strings.Contains(text, "float16[8,4,1,3]") {
			t.Errorf("float16 weights are left:\n%s", text)
		}
		in := randomInputs(opt.Graph(), 11)
		w16, err := ref16.Run(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		w32, err := ref32.Run(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		for run := range 2 {
			got, err := opt.Run(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			k := opt.Outputs()[0].Name
			k32 := ref32.Outputs()[0].Name
			{
				g, a, b := got[k].Data.([]float32), w32[k32].Data.([]float32), w16[k].Data.([]float32)
				for i := range g {
					if math.IsNaN(float64(g[i])) || math.Abs(float64(g[i]-a[i])) > step(a[i])/64 {
						t.Fatalf("threads %d run %d %s[%d]: got %v, the float32 twin %v", threads, run, k, i, g[i], a[i])
					}
					if math.Abs(float64(g[i]-b[i])) > 4*step(b[i]) {
						t.Fatalf("threads %d run %d %s[%d]: got %v, the float16 kernels %v", threads, run, k, i, g[i], b[i])
					}
				}
			}
		}
		opt.Close()
	}
}
