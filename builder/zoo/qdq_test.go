package zoo

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// qdqStepTol bounds how far the optimised path's outputs of a quantized
// model may be from the reference path's, in units of the output's
// largest magnitude. The two paths sum the float products in different
// orders (blocked layouts, packed GEMMs); an activation whose quotient
// x/s lies within those rounding differences of a .5 boundary takes the
// neighbouring code, a jump of one quantization step that later layers
// carry. Anything else (a wrong scale, zero point or clamp) moves outputs
// by far more.
const qdqStepTol = 0.02

// TestQuantizedModels runs the quantized models (QDQ format and dynamic
// quantization) on the optimised path at 1 and 2 threads and on the
// reference path, and checks that the outputs agree to qdqStepTol, that
// the QDQ models keep no QuantizeLinear (fake-quant rewrote the pairs) and
// that a steady-state Run allocates nothing.
func TestQuantizedModels(t *testing.T) {
	for _, m := range QDQModels() {
		t.Run(m.Name, func(t *testing.T) {
			if m.Large && testing.Short() {
				t.Skip("large model (-short)")
			}
			g, err := m.Build()
			if err != nil {
				t.Fatal(err)
			}
			for seed := range uint64(3) {
				ins, err := RandomInputs(g, m.Batch, 40+seed)
				if err != nil {
					t.Fatal(err)
				}
				ref, err := runModel(g, runtime.Options{Reference: true, ISA: "generic", Threads: 1}, ins)
				if err != nil {
					t.Fatal(err)
				}
				for _, threads := range []int{1, 2} {
					got, err := runModel(g, runtime.Options{Threads: threads}, ins)
					if err != nil {
						t.Fatal(err)
					}
					for name, r := range ref {
						var scale, worst float64
						for i := range r.Len() {
							scale = max(scale, math.Abs(r.Float64At(i)))
						}
						for i := range r.Len() {
							worst = max(worst, math.Abs(r.Float64At(i)-got[name].Float64At(i)))
						}
						t.Logf("seed %d threads %d output %q: largest difference from the reference %.3g of its largest magnitude", seed, threads, name, worst/scale)
						if !(worst <= qdqStepTol*scale) {
							t.Errorf("seed %d threads %d output %q: differs from the reference by %.3g, %.3g of its largest magnitude", seed, threads, name, worst, worst/scale)
						}
					}
				}
			}
			ins, err := RandomInputs(g, m.Batch, 7)
			if err != nil {
				t.Fatal(err)
			}
			for _, threads := range []int{1, 2} {
				s, err := runtime.NewSession(ir.Clone(g), runtime.Options{Threads: threads})
				if err != nil {
					t.Fatal(err)
				}
				if text := ir.Format(s.Graph()); strings.HasPrefix(m.Name, "qdq") && strings.Contains(text, "QuantizeLinear") {
					t.Errorf("a QuantizeLinear is left:\n%s", text)
				}
				in := make([]*ir.Tensor, len(s.Inputs()))
				for i, v := range s.Inputs() {
					in[i] = ins[v.Name]
				}
				first, err := s.Run(context.Background(), ins)
				if err != nil {
					t.Fatal(err)
				}
				outs := make([]*ir.Tensor, len(s.Outputs()))
				for i, o := range s.Outputs() {
					outs[i] = ir.NewTensor(first[o.Name].DType, first[o.Name].Shape)
				}
				run := func() {
					if err := s.RunInto(context.Background(), in, outs); err != nil {
						t.Fatal(err)
					}
				}
				run()
				if a := allocstest.PerRun(10, run); a != 0 {
					t.Errorf("threads %d: %v allocations per Run", threads, a)
				}
				s.Close()
			}
		})
	}
}
