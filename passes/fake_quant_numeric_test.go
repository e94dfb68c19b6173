package passes_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// fakeQuantPair adds QuantizeLinear → DequantizeLinear of x with scale s
// and a zero point of dtype dt.
func fakeQuantPair(b *tg, x *ir.Value, s float32, zp *ir.Tensor) *ir.Value {
	sv, zv := b.konst(ir.Scalar(s)), b.konst(zp)
	return b.op("DequantizeLinear", nil, b.op("QuantizeLinear", nil, x, sv, zv), sv, zv)
}

func u8(v uint8) *ir.Tensor { return &ir.Tensor{DType: ir.Uint8, Shape: []int64{}, Data: []uint8{v}} }
func s8(v int8) *ir.Tensor  { return &ir.Tensor{DType: ir.Int8, Shape: []int64{}, Data: []int8{v}} }

// TestFakeQuantBitExact: chains of uint8 and int8 QDQ pairs (zero points
// 0, 128, 255, -3) with Relu and Add between them give the same bits with
// fake-quant on and off, at one and three threads, on inputs with NaNs,
// infinities, signed zeros, exact ties of x/s and values far outside
// the code range, in tensors small and large enough to be split.
func TestFakeQuantBitExact(t *testing.T) {
	build := func(n int64) *ir.Graph {
		b := newTG("fake_quant_bits")
		x := b.input("x", 2, 3, n)
		y := fakeQuantPair(b, x, 0.05, u8(128))
		y = b.op("Relu", nil, y)
		y = fakeQuantPair(b, y, 0.037, s8(-3))
		z := fakeQuantPair(b, x, 0.11, u8(0))
		w := fakeQuantPair(b, x, 0.013, u8(255))
		y = fakeQuantPair(b, b.op("Add", nil, b.op("Add", nil, y, z), w), 0.2, s8(0))
		return b.out(y, z, w)
	}
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int64{7, 40000} {
		ref, err := runtime.NewSession(build(n), runtime.Options{Threads: 1, DisablePasses: []string{"fake-quant"}})
		if err != nil {
			t.Fatal(err)
		}
		xs := make([]float32, 6*n)
		specials := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1)), 0, 1e30, -1e30}
		for i := range xs {
			switch {
			case i < len(specials):
				xs[i] = specials[i]
			case i%3 == 0:
				xs[i] = (float32(r.IntN(600)-300) + 0.5) * 0.05
			default:
				xs[i] = float32(r.NormFloat64() * 4)
			}
		}
		in := map[string]*ir.Tensor{"x": ir.FromSlice(xs, 2, 3, n)}
		want, err := ref.Run(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, threads := range []int{1, 3} {
			s, err := runtime.NewSession(build(n), runtime.Options{Threads: threads, VerifyPasses: true})
			if err != nil {
				t.Fatal(err)
			}
			if text := ir.Format(s.Graph()); strings.Contains(text, "QuantizeLinear") || !strings.Contains(text, "FakeQuant") {
				t.Fatalf("n %d: the pairs were not rewritten:\n%s", n, text)
			}
			got, err := s.Run(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			for k, w := range want {
				wd, gd := w.F32(), got[k].F32()
				for i := range wd {
					if math.Float32bits(wd[i]) != math.Float32bits(gd[i]) {
						t.Fatalf("n %d threads %d output %s[%d]: %v (%#x), the pairs give %v (%#x); x %v", n, threads, k, i, gd[i], math.Float32bits(gd[i]), wd[i], math.Float32bits(wd[i]), xs[i])
					}
				}
			}
			s.Close()
		}
		ref.Close()
	}
}

// TestFakeQuantNumerically: a QDQ block as ONNX Runtime's static
// quantizer writes it (int8 weights through DequantizeLinear, uint8
// activation pairs around two Convs with a Relu and a residual Add) gives
// the same outputs with fake-quant on and off, and with it on no
// QuantizeLinear is left and the convolutions stay in one blocked region.
func TestFakeQuantNumerically(t *testing.T) {
	build := func() *ir.Graph {
		b := newTG("fake_quant_conv")
		x := b.input("x", 1, 16, 9, 7)
		wq := func(shape ...int64) *ir.Value {
			n := ir.NumElements(shape)
			codes := make([]int8, n)
			for i := range codes {
				codes[i] = int8(b.rng.IntN(255) - 127)
			}
			w := b.konst(&ir.Tensor{DType: ir.Int8, Shape: shape, Data: codes})
			return b.op("DequantizeLinear", nil, w, b.konst(ir.Scalar(float32(0.004))), b.konst(s8(0)))
		}
		pads := named(ir.Attrs{"pads": ints(1, 1, 1, 1)})
		y := fakeQuantPair(b, x, 8.0/255, u8(128))
		y = fakeQuantPair(b, b.op("Relu", nil, b.op("Conv", pads, y, wq(16, 16, 3, 3), b.weights(16))), 6.0/255, u8(0))
		z := fakeQuantPair(b, b.op("Conv", pads, y, wq(16, 16, 3, 3), b.weights(16)), 8.0/255, u8(128))
		y = fakeQuantPair(b, b.op("Add", nil, y, z), 10.0/255, u8(128))
		return b.out(b.op("Conv", nil, y, wq(8, 16, 1, 1), b.weights(8)))
	}
	compareFused(t, "fake_quant_conv", "fake-quant", build)
	s, err := runtime.NewSession(build(), runtime.Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	text := ir.Format(s.Graph())
	if strings.Contains(text, "QuantizeLinear") {
		t.Errorf("a QuantizeLinear is left:\n%s", text)
	}
	if n := strings.Count(text, "ReorderToNCHWc"); n > 1 {
		t.Errorf("%d reorders into the blocked layout, want at most 1:\n%s", n, text)
	}
}
