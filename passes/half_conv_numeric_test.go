package passes_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// halfConvBlock builds a float16 model as float16 converters write it: a
// float32 input cast to float16, Convs with float16 weights (one with a
// bias, one grouped without), a Relu between, and the result cast back.
func halfConvBlock() *ir.Graph {
	b := newTG("half_conv")
	half := func(shape ...int64) *ir.Value {
		d := make([]ir.F16, ir.NumElements(shape))
		for i := range d {
			d[i] = ir.NewFloat16(float32(b.rng.NormFloat64() * 0.3))
		}
		return b.konst(ir.FromSlice(d, shape...))
	}
	x := b.input("x", 1, 4, 11, 9)
	y := b.op("Cast", named(ir.Attrs{"to": iattr(int64(ir.Float16))}), x)
	y = b.op("Conv", named(ir.Attrs{"pads": ints(1, 1, 1, 1)}), y, half(8, 4, 3, 3), half(8))
	y = b.op("Relu", nil, y)
	y = b.op("Conv", named(ir.Attrs{"group": iattr(2), "strides": ints(2, 1)}), y, half(6, 4, 1, 3))
	return b.out(b.op("Cast", named(ir.Attrs{"to": iattr(int64(ir.Float32))}), y))
}

// TestHalfConvNumerically: with half-conv the float16 Convs run as
// float32 Convs between Casts and the outputs agree with the float16
// kernels within one float16 rounding (both convolve in float32 and round
// once; only the float32 summation order differs).
func TestHalfConvNumerically(t *testing.T) {
	ref, err := runtime.NewSession(halfConvBlock(), runtime.Options{Threads: 1, DisablePasses: []string{"half-conv"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	for _, threads := range []int{1, 3} {
		opt, err := runtime.NewSession(halfConvBlock(), runtime.Options{Threads: threads, VerifyPasses: true})
		if err != nil {
			t.Fatal(err)
		}
		text := ir.Format(opt.Graph())
		if strings.Contains(text, "float16[8,4,3,3]") || strings.Contains(text, "float16[6,4,1,3]") {
			t.Errorf("float16 weights are left:\n%s", text)
		}
		in := randomInputs(opt.Graph(), 11)
		want, err := ref.Run(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		for run := range 2 {
			got, err := opt.Run(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			for k, w := range want {
				wv, gv := w.Data.([]float32), got[k].Data.([]float32)
				for i := range wv {
					if d := math.Abs(float64(wv[i] - gv[i])); d > 1e-3*math.Max(math.Abs(float64(wv[i])), 1e-2) || math.IsNaN(float64(gv[i])) {
						t.Fatalf("threads %d run %d %s[%d]: got %v, want %v", threads, run, k, i, gv[i], wv[i])
					}
				}
			}
		}
		opt.Close()
	}
}
