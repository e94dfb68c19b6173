package passes_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// dynamicQuantBlock builds the form onnxruntime's dynamic quantization
// writes: DynamicQuantizeLinear of a float activation, an integer product
// with constant int8 weights (zero point per output channel when
// perChannel), Cast to float, Mul by the product of the scales, a bias Add
// and a Relu.
func dynamicQuantBlock(conv, perChannel bool) *ir.Graph {
	b := newTG("dynamic_quant")
	var x *ir.Value
	var wShape []int64
	if conv {
		x = b.input("x", 1, 5, 9, 7)
		wShape = []int64{6, 5, 3, 3}
	} else {
		x = b.input("x", 2, 3, 20)
		wShape = []int64{20, 6}
	}
	w := make([]int8, ir.NumElements(wShape))
	for i := range w {
		w[i] = int8(b.rng.IntN(256) - 128)
	}
	zn := 1
	if perChannel {
		zn = 6
	}
	wz := make([]int8, zn)
	for i := range wz {
		wz[i] = int8(b.rng.IntN(21) - 10)
	}
	zShape := []int64{}
	if perChannel {
		zShape = []int64{6}
	}
	wv := b.konst(ir.FromSlice(w, wShape...))
	wzv := b.konst(ir.FromSlice(wz, zShape...))
	b.n++
	q, s, z := &ir.Value{Name: "q"}, &ir.Value{Name: "s"}, &ir.Value{Name: "z"}
	b.g.AddNode(&ir.Node{Name: "dql", Op: "DynamicQuantizeLinear", Opset: 17, Inputs: []*ir.Value{x}, Outputs: []*ir.Value{q, s, z}, Attrs: ir.Attrs{}})
	var acc *ir.Value
	if conv {
		acc = b.op("ConvInteger", named(ir.Attrs{"pads": ints(1, 0, 1, 2), "strides": ints(1, 2)}), q, wv, z, wzv)
	} else {
		acc = b.op("MatMulInteger", nil, q, wv, z, wzv)
	}
	y := b.op("Cast", named(ir.Attrs{"to": iattr(int64(ir.Float32))}), acc)
	y = b.op("Mul", nil, y, b.op("Mul", nil, s, b.konst(ir.Scalar(float32(0.0123)))))
	if conv {
		y = b.op("Add", nil, y, b.weights(6, 1, 1))
	} else {
		y = b.op("Add", nil, y, b.weights(6))
	}
	return b.out(b.op("Relu", nil, y))
}

// TestIntegerFloatNumerically: with integer-float the dynamically
// quantized ConvInteger and MatMulInteger blocks (per-tensor and
// per-channel weight zero points) give exactly the outputs of the integer
// kernels (their partial sums stay below 2^24), and no integer product is
// left in the optimised graph.
//
// It runs with NNCC_QGEMM=off: at AVX-512 the pass otherwise keeps
// ConvInteger (TestIntegerFloatKeepsConvAtAVX512).
func TestIntegerFloatNumerically(t *testing.T) {
	t.Setenv("NNCC_QGEMM", "off")
	for _, conv := range []bool{true, false} {
		for _, perChannel := range []bool{false, true} {
			build := func() *ir.Graph { return dynamicQuantBlock(conv, perChannel) }
			name := "matmul"
			if conv {
				name = "conv"
			}
			if perChannel {
				name += "_per_channel"
			}
			compareFused(t, name, "integer-float", build)
			ref, err := runtime.NewSession(build(), runtime.Options{Threads: 1, DisablePasses: []string{"integer-float"}})
			if err != nil {
				t.Fatal(err)
			}
			opt, err := runtime.NewSession(build(), runtime.Options{Threads: 1, VerifyPasses: true})
			if err != nil {
				t.Fatal(err)
			}
			if text := ir.Format(opt.Graph()); strings.Contains(text, "Integer(") {
				t.Errorf("%s: an integer product is left:\n%s", name, text)
			}
			in := randomInputs(opt.Graph(), 7)
			want, err := ref.Run(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := opt.Run(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			for k, w := range want {
				wv, gv := w.Data.([]float32), got[k].Data.([]float32)
				for i := range wv {
					if math.Float32bits(wv[i]) != math.Float32bits(gv[i]) {
						t.Fatalf("%s/%s: element %d: got %v, want exactly %v", name, k, i, gv[i], wv[i])
					}
				}
			}
			ref.Close()
			opt.Close()
		}
	}
}

// TestIntegerFloatKeepsIntegerUses: an integer product whose int32 result
// is read by anything but one Cast to float, or whose weights are not
// constant, stays an integer product.
func TestIntegerFloatKeepsIntegerUses(t *testing.T) {
	b := newTG("integer_kept")
	x := b.input("x", 1, 2, 4, 4)
	q, z := &ir.Value{Name: "q"}, &ir.Value{Name: "z"}
	b.g.AddNode(&ir.Node{Name: "dql", Op: "DynamicQuantizeLinear", Opset: 17, Inputs: []*ir.Value{x}, Outputs: []*ir.Value{q, {Name: "s"}, z}, Attrs: ir.Attrs{}})
	w := b.konst(ir.FromSlice([]int8{1, -2, 3, -4, 5, -6, 7, -8}, 4, 2, 1, 1))
	acc := b.op("ConvInteger", nil, q, w, z)
	f := b.op("Cast", named(ir.Attrs{"to": iattr(int64(ir.Float32))}), acc)
	dyn := b.op("ConvInteger", nil, q, q)
	g := b.out(f, acc, b.op("Cast", named(ir.Attrs{"to": iattr(int64(ir.Float32))}), dyn))
	s, err := runtime.NewSession(g, runtime.Options{Threads: 1, VerifyPasses: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := strings.Count(ir.Format(s.Graph()), "ConvInteger("); n != 2 {
		t.Errorf("want both ConvIntegers kept, %d left:\n%s", n, ir.Format(s.Graph()))
	}
}
