package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestMiniFloatEncode(t *testing.T) {
	nan := float32(math.NaN())
	cases := []struct {
		name string
		f    *nnMiniFloat
		x    float32
		sat  bool
		want uint8
	}{
		{"e4m3fn one", nnE4M3FN, 1, true, 0x38},
		{"e4m3fn max", nnE4M3FN, 448, true, 0x7e},
		{"e4m3fn over sat", nnE4M3FN, 500, true, 0x7e},
		{"e4m3fn over nosat", nnE4M3FN, 500, false, 0x7f},
		{"e4m3fn -inf sat", nnE4M3FN, float32(math.Inf(-1)), true, 0xfe},
		{"e4m3fn neg zero", nnE4M3FN, float32(math.Copysign(0, -1)), true, 0x80},
		{"e4m3fn nan", nnE4M3FN, nan, true, 0x7f},
		{"e4m3fn min subnormal", nnE4M3FN, 1.0 / 512, true, 0x01},
		{"e4m3fn tie to even", nnE4M3FN, 1.0625, true, 0x38}, // halfway between 1 and 1.125
		{"e4m3fnuz one", nnE4M3FNUZ, 1, true, 0x40},
		{"e4m3fnuz max", nnE4M3FNUZ, 240, true, 0x7f},
		{"e4m3fnuz nan", nnE4M3FNUZ, nan, true, 0x80},
		{"e4m3fnuz neg zero", nnE4M3FNUZ, float32(math.Copysign(0, -1)), true, 0x00},
		{"e5m2 one", nnE5M2, 1, true, 0x3c},
		{"e5m2 max", nnE5M2, 57344, true, 0x7b},
		{"e5m2 over nosat", nnE5M2, 1e6, false, 0x7c},
		{"e5m2 over sat", nnE5M2, -1e6, true, 0xfb},
		{"e5m2fnuz one", nnE5M2FNUZ, 1, true, 0x40},
		{"e2m1 one", nnE2M1, 1, true, 0x2},
		{"e2m1 over", nnE2M1, 7, false, 0x7},
		{"e2m1 tie low", nnE2M1, 0.25, true, 0x0},
		{"e2m1 tie up", nnE2M1, 0.75, true, 0x2},
		{"e2m1 tie 2.5", nnE2M1, -2.5, true, 0xc},
	}
	for _, tc := range cases {
		if got := tc.f.encode(tc.x, tc.sat); got != tc.want {
			t.Errorf("%s: encode(%v) = %#x, want %#x", tc.name, tc.x, got, tc.want)
		}
	}
	// Every finite code round-trips.
	for _, f := range []*nnMiniFloat{nnE4M3FN, nnE4M3FNUZ, nnE5M2, nnE5M2FNUZ, nnE2M1} {
		for code := 0; code < 1<<(bitsOf(f)); code++ {
			v := f.decode(uint8(code))
			if v != v || math.IsInf(float64(v), 0) || (f.fnuz && code == 0x80) {
				continue
			}
			if v == 0 && code != 0 && !f.fnuz {
				continue // negative zero
			}
			if got := f.encode(v, true); got != uint8(code) {
				t.Errorf("round trip of %#x (%v) gave %#x", code, v, got)
			}
		}
	}
}

func bitsOf(f *nnMiniFloat) int {
	if f == nnE2M1 {
		return 4
	}
	return 8
}

func TestQuantizeDequantize(t *testing.T) {
	x := ir.FromSlice([]float32{-2, -1, 0, 1, 2.5, 3.5, 300, -300}, 2, 4)
	// Per tensor, uint8 with zero point 128, scale 0.5; ties round to even.
	outs, err := nntRun("QuantizeLinear", 21, nil, 1, x, ir.Scalar(float32(0.5)), ir.Scalar(uint8(128)))
	if err != nil {
		t.Fatal(err)
	}
	want := []uint8{124, 126, 128, 130, 133, 135, 255, 0}
	for i, v := range outs[0].Data.([]uint8) {
		if v != want[i] {
			t.Fatalf("per tensor: got %v, want %v", outs[0].Data, want)
		}
	}
	// Per axis (axis 0), int8 without zero point given → output_dtype.
	outs, err = nntRun("QuantizeLinear", 21, nntAttrs("axis", 0, "output_dtype", int(ir.Int8)), 1, x, ir.FromSlice([]float32{1, 2}, 2))
	if err != nil {
		t.Fatal(err)
	}
	want8 := []int8{-2, -1, 0, 1, 1, 2, 127, -128}
	for i, v := range outs[0].Data.([]int8) {
		if v != want8[i] {
			t.Fatalf("per axis: got %v, want %v", outs[0].Data, want8)
		}
	}
	// Blocked along axis 1 with block 2: scales [2, 2].
	q := ir.FromSlice([]int8{-4, -2, 0, 2, 5, 7, 100, -100}, 2, 4)
	outs, err = nntRun("DequantizeLinear", 21, nntAttrs("axis", 1, "block_size", 2), 1, q, ir.FromSlice([]float32{1, 10, 0.5, 2}, 2, 2))
	if err != nil {
		t.Fatal(err)
	}
	nntClose(t, "blocked dequantize", outs[0].F32(), []float32{-4, -2, 0, 20, 2.5, 3.5, 200, -200}, 0)
	// int4 range saturation.
	outs, err = nntRun("QuantizeLinear", 21, nil, 1, x, ir.Scalar(float32(1)), &ir.Tensor{DType: ir.Int4, Shape: []int64{}, Data: []int8{0}})
	if err != nil {
		t.Fatal(err)
	}
	want4 := []int8{-2, -1, 0, 1, 2, 4, 7, -8}
	for i, v := range outs[0].Data.([]int8) {
		if v != want4[i] {
			t.Fatalf("int4: got %v, want %v", outs[0].Data, want4)
		}
	}
	// A wrong scale shape is an error, not a panic.
	if _, err := nntRun("QuantizeLinear", 21, nil, 1, x, ir.FromSlice([]float32{1, 2, 3}, 3)); err == nil {
		t.Fatal("bad scale shape: no error")
	}
}

func TestDynamicQuantizeLinear(t *testing.T) {
	x := ir.FromSlice([]float32{0, 2, -3, -2.5, 1.34, 0.5}, 6)
	outs, err := nntRun("DynamicQuantizeLinear", 11, nil, 3, x)
	if err != nil {
		t.Fatal(err)
	}
	scale := outs[1].F32()[0]
	if math.Abs(float64(scale)-5.0/255) > 1e-7 {
		t.Fatalf("scale = %v", scale)
	}
	if zp := outs[2].Data.([]uint8)[0]; zp != 153 {
		t.Fatalf("zero point = %d", zp)
	}
	want := []uint8{153, 255, 0, 26, 221, 179}
	for i, v := range outs[0].Data.([]uint8) {
		if v != want[i] {
			t.Fatalf("y = %v, want %v", outs[0].Data, want)
		}
	}
}

func TestQLinearMatMulFloat8(t *testing.T) {
	// a = [1 2] and b = [[1],[0.5]] in e4m3fn with unit scales: y = 2.
	a := &ir.Tensor{DType: ir.Float8E4M3FN, Shape: []int64{1, 2}, Data: []uint8{nnE4M3FN.encode(1, true), nnE4M3FN.encode(2, true)}}
	b := &ir.Tensor{DType: ir.Float8E4M3FN, Shape: []int64{2, 1}, Data: []uint8{nnE4M3FN.encode(1, true), nnE4M3FN.encode(0.5, true)}}
	zp := &ir.Tensor{DType: ir.Float8E4M3FN, Shape: []int64{}, Data: []uint8{0}}
	one := ir.Scalar(float32(1))
	outs, err := nntRun("QLinearMatMul", 21, nil, 1, a, one, zp, b, one, zp, ir.Scalar(float32(0.5)), zp)
	if err != nil {
		t.Fatal(err)
	}
	if got := nnE4M3FN.decode(outs[0].Data.([]uint8)[0]); got != 4 {
		t.Fatalf("QLinearMatMul float8 = %v, want 4", got)
	}
}

// TestDynamicQuantizeLinearSplit quantizes a tensor large enough to be
// split over the pool and checks scale, zero point and every code against
// the formula computed here serially.
func TestDynamicQuantizeLinearSplit(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{quantParallelMin - 1, quantParallelMin, 100003} {
		xs := make([]float32, n)
		for i := range xs {
			xs[i] = float32(r.NormFloat64()*3 + 1)
		}
		outs, err := nntRun("DynamicQuantizeLinear", 11, nil, 3, ir.FromSlice(xs, int64(n)))
		if err != nil {
			t.Fatal(err)
		}
		var lo, hi float32
		for _, v := range xs {
			lo, hi = min(lo, v), max(hi, v)
		}
		scale := (hi - lo) / 255
		zp := math.RoundToEven(float64(max(0, min(255, 0-lo/scale))))
		if got := outs[1].F32()[0]; got != scale {
			t.Fatalf("n %d: scale %v, want %v", n, got, scale)
		}
		if got := outs[2].Data.([]uint8)[0]; float64(got) != zp {
			t.Fatalf("n %d: zero point %d, want %v", n, got, zp)
		}
		for i, v := range outs[0].Data.([]uint8) {
			want := uint8(math.Max(0, math.Min(255, math.RoundToEven(float64(xs[i]/scale))+zp)))
			if v != want {
				t.Fatalf("n %d: y[%d] = %d, want %d (x %v)", n, i, v, want, xs[i])
			}
		}
	}
}
