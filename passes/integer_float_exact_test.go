package passes_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/runtime"
)

// quantConvBlock is DynamicQuantizeLinear → ConvInteger (int8 weights of
// shape ws, all equal to wv with zero point wz when wv is set, else
// random) → Cast → Mul by the scales → Relu, on a float input of shape xs.
func quantConvBlock(xs, ws []int64, attrs ir.Attrs, wv *int8, wz int8) *ir.Graph {
	b := newTG("quant_conv")
	x := b.input("x", xs...)
	w := make([]int8, ir.NumElements(ws))
	for i := range w {
		if wv != nil {
			w[i] = *wv
		} else {
			w[i] = int8(b.rng.IntN(256) - 128)
		}
	}
	b.n++
	q, s, z := &ir.Value{Name: "q"}, &ir.Value{Name: "s"}, &ir.Value{Name: "z"}
	b.g.AddNode(&ir.Node{Name: "dql", Op: "DynamicQuantizeLinear", Opset: 17, Inputs: []*ir.Value{x}, Outputs: []*ir.Value{q, s, z}, Attrs: ir.Attrs{}})
	acc := b.op("ConvInteger", named(attrs), q, b.konst(ir.FromSlice(w, ws...)), z, b.konst(ir.Scalar(wz)))
	y := b.op("Cast", named(ir.Attrs{"to": iattr(int64(ir.Float32))}), acc)
	y = b.op("Mul", nil, y, b.op("Mul", nil, s, b.konst(ir.Scalar(float32(0.0123)))))
	return b.out(b.op("Relu", nil, y))
}

// TestIntegerFloatStaysExact: integer-float leaves a ConvInteger alone
// where its weights' sums can pass 2^24, and rewrites a 64→64 3×3 layer
// the AVX-512 kernels would run by Winograd (whose transforms moved
// ISNet's accumulators by a few units, and DynamicQuantizeLinear then
// changed 8-bit codes) into a FusedConv marked exact_sums, which no
// Winograd kernel takes; every result is bit for bit that of the integer
// product.
//
// The rewrite rules are tested with NNCC_QGEMM=off, the regime in which
// the pass rewrites ConvInteger at every level (at AVX-512 it otherwise
// keeps it: TestIntegerFloatKeepsConvAtAVX512).
func TestIntegerFloatStaysExact(t *testing.T) {
	t.Setenv("NNCC_QGEMM", "off")
	level, levelName := isa.Current(), ""
	if slices.Contains(isa.Supported(), isa.AVX512) {
		level, levelName = isa.AVX512, "avx512"
	}
	big, bigZ := int8(127), int8(-128)
	cases := []struct {
		name   string
		xs, ws []int64
		attrs  ir.Attrs
		wv     *int8
		keep   bool
		marked bool // rewritten as a FusedConv with exact_sums
	}{
		{"winograd shape", []int64{1, 64, 32, 32}, []int64{64, 64, 3, 3}, ir.Attrs{"pads": ints(1, 1, 1, 1)}, nil, false,
			!kernels.FloatConvExact(level, ir.TensorType(ir.Uint8, 1, 64, 32, 32), []int64{64, 64, 3, 3}, named(ir.Attrs{"pads": ints(1, 1, 1, 1)}))},
		{"sums past 2^24", []int64{1, 32, 10, 10}, []int64{8, 32, 3, 3}, ir.Attrs{"pads": ints(1, 1, 1, 1), "strides": ints(2, 2)}, &big, true, false},
		{"small stride 2", []int64{1, 8, 10, 10}, []int64{8, 8, 3, 3}, ir.Attrs{"pads": ints(1, 1, 1, 1), "strides": ints(2, 2)}, nil, false, false},
	}
	if level == isa.AVX512 && !cases[0].marked {
		t.Fatalf("FloatConvExact says a 64→64 3×3 32×32 Conv runs without Winograd at AVX-512")
	}
	for _, c := range cases {
		build := func() *ir.Graph {
			wz := int8(3)
			if c.wv != nil {
				wz = bigZ
			}
			return quantConvBlock(c.xs, c.ws, c.attrs, c.wv, wz)
		}
		ref, err := runtime.NewSession(build(), runtime.Options{Threads: 1, ISA: levelName, DisablePasses: []string{"integer-float"}})
		if err != nil {
			t.Fatal(err)
		}
		opt, err := runtime.NewSession(build(), runtime.Options{Threads: 2, ISA: levelName, VerifyPasses: true})
		if err != nil {
			t.Fatal(err)
		}
		text := ir.Format(opt.Graph())
		if kept := strings.Contains(text, "ConvInteger("); kept != c.keep {
			t.Errorf("%s: ConvInteger kept = %v, want %v", c.name, kept, c.keep)
		}
		if marked := strings.Contains(text, "exact_sums=1"); marked != c.marked {
			t.Errorf("%s: exact_sums mark = %v, want %v:\n%s", c.name, marked, c.marked, text)
		}
		in := randomInputs(opt.Graph(), 5)
		want, err := ref.Run(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := opt.Run(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		for k, w := range want {
			wv, gv := w.F32(), got[k].F32()
			for i := range wv {
				if math.Float32bits(wv[i]) != math.Float32bits(gv[i]) {
					t.Fatalf("%s/%s: element %d: got %v, want exactly %v", c.name, k, i, gv[i], wv[i])
				}
			}
		}
		ref.Close()
		opt.Close()
	}
}

// TestIntegerFloatKeepsConvAtAVX512: at AVX-512 (kernels.
// IntegerConvPreferred) integer-float leaves every dynamically quantized
// ConvInteger to the integer kernels — the Winograd shape, small and
// large sums alike — and the optimised graph's outputs are bit for bit
// those of the graph without the pass.
func TestIntegerFloatKeepsConvAtAVX512(t *testing.T) {
	if !slices.Contains(isa.Supported(), isa.AVX512) {
		t.Skip("no AVX-512 on this CPU")
	}
	if !kernels.IntegerConvPreferred(isa.AVX512) {
		t.Fatal("IntegerConvPreferred(avx512) is false")
	}
	t.Setenv("NNCC_QGEMM", "off")
	if kernels.IntegerConvPreferred(isa.AVX512) {
		t.Fatal("IntegerConvPreferred(avx512) is true with NNCC_QGEMM=off")
	}
	t.Setenv("NNCC_QGEMM", "")
	big := int8(127)
	for _, c := range []struct {
		name   string
		xs, ws []int64
		attrs  ir.Attrs
		wv     *int8
	}{
		{"winograd shape", []int64{1, 64, 32, 32}, []int64{64, 64, 3, 3}, ir.Attrs{"pads": ints(1, 1, 1, 1)}, nil},
		{"sums past 2^24", []int64{1, 32, 10, 10}, []int64{8, 32, 3, 3}, ir.Attrs{"pads": ints(1, 1, 1, 1), "strides": ints(2, 2)}, &big},
		{"small stride 2", []int64{1, 8, 10, 10}, []int64{8, 8, 3, 3}, ir.Attrs{"pads": ints(1, 1, 1, 1), "strides": ints(2, 2)}, nil},
	} {
		build := func() *ir.Graph { return quantConvBlock(c.xs, c.ws, c.attrs, c.wv, -128) }
		ref, err := runtime.NewSession(build(), runtime.Options{Threads: 1, ISA: "avx512", DisablePasses: []string{"integer-float"}})
		if err != nil {
			t.Fatal(err)
		}
		opt, err := runtime.NewSession(build(), runtime.Options{Threads: 2, ISA: "avx512", VerifyPasses: true})
		if err != nil {
			t.Fatal(err)
		}
		if text := ir.Format(opt.Graph()); !strings.Contains(text, "ConvInteger(") {
			t.Errorf("%s: ConvInteger rewritten at AVX-512:\n%s", c.name, text)
		}
		in := randomInputs(opt.Graph(), 9)
		want, err := ref.Run(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := opt.Run(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		for k, w := range want {
			wv, gv := w.F32(), got[k].F32()
			for i := range wv {
				if math.Float32bits(wv[i]) != math.Float32bits(gv[i]) {
					t.Fatalf("%s/%s: element %d: got %v, want exactly %v", c.name, k, i, gv[i], wv[i])
				}
			}
		}
		ref.Close()
		opt.Close()
	}
}
