package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

var (
	nan  = math.NaN()
	pinf = math.Inf(1)
	ninf = math.Inf(-1)
)

// Float8 encodings, from the format definitions and the saturate tables of
// the Cast spec.
func TestFloat8Encode(t *testing.T) {
	cases := []struct {
		d        ir.DType
		x        float64
		sat      bool
		want     uint8
		wantBack float64 // NaN means "expect NaN"
	}{
		{ir.Float8E4M3FN, 1, true, 0x38, 1},
		{ir.Float8E4M3FN, 448, true, 0x7e, 448},
		{ir.Float8E4M3FN, 464, true, 0x7e, 448}, // rounds down to 448 (even)
		{ir.Float8E4M3FN, 1e6, true, 0x7e, 448},
		{ir.Float8E4M3FN, 1e6, false, 0x7f, nan},
		{ir.Float8E4M3FN, -1e6, false, 0xff, nan},
		{ir.Float8E4M3FN, pinf, true, 0x7e, 448},
		{ir.Float8E4M3FN, ninf, true, 0xfe, -448},
		{ir.Float8E4M3FN, pinf, false, 0x7f, nan},
		{ir.Float8E4M3FN, nan, true, 0x7f, nan},
		{ir.Float8E4M3FN, math.Copysign(0, -1), true, 0x80, 0},
		{ir.Float8E4M3FN, math.Ldexp(1, -9), true, 0x01, math.Ldexp(1, -9)}, // smallest subnormal
		{ir.Float8E4M3FN, math.Ldexp(1, -10), true, 0x00, 0},                // tie to even: 0
		{ir.Float8E4M3FN, 0.47892547, true, 0x2f, 0.46875},
		{ir.Float8E4M3FNUZ, 240, true, 0x7f, 240},
		{ir.Float8E4M3FNUZ, pinf, false, 0x80, nan},
		{ir.Float8E4M3FNUZ, nan, true, 0x80, nan},
		{ir.Float8E4M3FNUZ, -1e-7, true, 0x00, 0}, // no negative zero
		{ir.Float8E5M2, 57344, true, 0x7b, 57344},
		{ir.Float8E5M2, 1e6, false, 0x7c, pinf},
		{ir.Float8E5M2, -1e6, false, 0xfc, ninf},
		{ir.Float8E5M2, ninf, true, 0xfb, -57344},
		{ir.Float8E5M2, nan, true, 0x7e, nan},
		{ir.Float8E5M2, -1e-7, true, 0x80, 0},
		{ir.Float8E5M2FNUZ, 1e6, false, 0x80, nan},
		{ir.Float8E5M2FNUZ, 1e6, true, 0x7f, 57344},
		{ir.Float8E5M2FNUZ, 1, true, 0x40, 1},
	}
	for _, c := range cases {
		got := Float64ToFloat8(c.d, c.x, c.sat)
		if got != c.want {
			t.Errorf("%v(%g, sat=%v) = %#x, want %#x", c.d, c.x, c.sat, got, c.want)
			continue
		}
		back := float64(Float8ToFloat32(c.d, got))
		if math.IsNaN(c.wantBack) != math.IsNaN(back) || (!math.IsNaN(back) && back != c.wantBack) {
			t.Errorf("%v decode %#x = %g, want %g", c.d, got, back, c.wantBack)
		}
	}
}

// Every finite float8 value must survive a round trip.
func TestFloat8RoundTrip(t *testing.T) {
	for _, d := range []ir.DType{ir.Float8E4M3FN, ir.Float8E4M3FNUZ, ir.Float8E5M2, ir.Float8E5M2FNUZ} {
		for c := 0; c < 256; c++ {
			v := Float8ToFloat32(d, uint8(c))
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				continue
			}
			if got := Float32ToFloat8(d, v, false); Float8ToFloat32(d, got) != v || (v != 0 && got != uint8(c)) {
				t.Errorf("%v: %#x → %g → %#x", d, c, v, got)
			}
		}
	}
}

func TestFloat4E2M1(t *testing.T) {
	cases := []struct {
		x    float64
		want uint8
	}{
		{0.48, 0x1}, {0.25, 0x0}, {1.05, 0x2}, {-3.5, 0xe}, {-8, 0xf}, {9, 0x7},
		{1e-7, 0}, {nan, 0x8}, {pinf, 0x7}, {ninf, 0xf}, {-4, 0xe}, {math.Copysign(0, -1), 0x8}, {6, 0x7}, {1.5, 0x3},
	}
	for _, c := range cases {
		if got := Float64ToFloat4E2M1(c.x); got != c.want {
			t.Errorf("float4e2m1(%g) = %#x, want %#x", c.x, got, c.want)
		}
	}
	want := []float32{0, 0.5, 1, 1.5, 2, 3, 4, 6}
	for i, w := range want {
		if got := Float4E2M1ToFloat32(uint8(i)); got != w {
			t.Errorf("decode %#x = %g, want %g", i, got, w)
		}
		if got := Float4E2M1ToFloat32(uint8(i | 8)); got != -w {
			t.Errorf("decode %#x = %g, want %g", i|8, got, -w)
		}
	}
}

func TestE8M0(t *testing.T) {
	cases := []struct {
		x    float64
		r    E8M0Round
		sat  bool
		want uint8
	}{
		{0, E8M0Up, true, 0x00}, {0.124, E8M0Up, true, 0x7c}, {0.25, E8M0Up, true, 0x7d},
		{1.1, E8M0Up, true, 0x80}, {8, E8M0Up, true, 0x82},
		{1.1, E8M0Down, true, 0x7f}, {1.5, E8M0Nearest, true, 0x80}, {1.49, E8M0Nearest, true, 0x7f},
		{nan, E8M0Up, true, 0xff}, {pinf, E8M0Up, true, 0xfe}, {pinf, E8M0Nearest, false, 0xff},
		{0, E8M0Nearest, false, 0xff}, {math.Ldexp(1, 127) * 1.5, E8M0Up, true, 0xfe},
		{math.Ldexp(1, 127) * 1.5, E8M0Up, false, 0xff}, {math.Ldexp(1, -127), E8M0Up, true, 0x00},
	}
	for _, c := range cases {
		if got := Float64ToE8M0(c.x, c.r, c.sat); got != c.want {
			t.Errorf("e8m0(%g, %d, %v) = %#x, want %#x", c.x, c.r, c.sat, got, c.want)
		}
	}
	if E8M0ToFloat32(0x7f) != 1 || E8M0ToFloat32(0x80) != 2 || !math.IsNaN(float64(E8M0ToFloat32(0xff))) {
		t.Error("e8m0 decode")
	}
}

func TestFloat64ToHalfMatchesFloat32Path(t *testing.T) {
	for _, x := range []float32{0, 1, -2.5, 65504, 65520, 1e-8, 6e-5, 0.1, 3.14159, float32(nan), float32(pinf)} {
		a := ir.NewFloat16(x)
		b := Float64ToFloat16(float64(x))
		if a != b && !(math.IsNaN(float64(x)) && a.Float32() != a.Float32() && b.Float32() != b.Float32()) {
			t.Errorf("f16(%g): %#x vs %#x", x, a, b)
		}
		if c, d := ir.NewBFloat16(x), Float64ToBFloat16(float64(x)); c != d && !math.IsNaN(float64(x)) {
			t.Errorf("bf16(%g): %#x vs %#x", x, c, d)
		}
	}
}

func TestWrapInt(t *testing.T) {
	cases := []struct {
		d       ir.DType
		in, out int64
	}{
		{ir.Int4, -9, 7}, {ir.Int4, -8, -8}, {ir.Int4, 8, -8}, {ir.Int4, 15, -1},
		{ir.Uint4, -9, 7}, {ir.Uint4, 15, 15}, {ir.Uint4, 16, 0},
		{ir.Int2, -3, 1}, {ir.Int2, 2, -2}, {ir.Int2, 3, -1}, {ir.Uint2, -1, 3}, {ir.Uint2, 3, 3},
	}
	for _, c := range cases {
		if got := WrapInt(c.d, c.in); got != c.out {
			t.Errorf("WrapInt(%v, %d) = %d, want %d", c.d, c.in, got, c.out)
		}
	}
}

func TestConvertTensor(t *testing.T) {
	// float → int truncates; int → narrower int wraps; to bool is "not zero".
	src := ir.FromSlice([]float32{-2.7, -0.5, 0, 1.9, 300, float32(nan)})
	got, err := ConvertTensor(src, ir.Int32, true)
	if err != nil {
		t.Fatal(err)
	}
	wantI := []int32{-2, 0, 0, 1, 300}
	for i, w := range wantI {
		if got.Data.([]int32)[i] != w {
			t.Fatalf("float→int32: %v", got.Data)
		}
	}
	i16 := ir.FromSlice([]int16{200, -200, 5})
	got, _ = ConvertTensor(i16, ir.Int8, true)
	if d := got.Data.([]int8); d[0] != -56 || d[1] != 56 || d[2] != 5 {
		t.Fatalf("int16→int8: %v", d)
	}
	got, _ = ConvertTensor(src, ir.Bool, true)
	if d := got.Data.([]bool); d[0] != true || d[2] != false || d[5] != true {
		t.Fatalf("float→bool: %v", d)
	}
	got, _ = ConvertTensor(ir.FromSlice([]bool{true, false}), ir.Float64, true)
	if d := got.Data.([]float64); d[0] != 1 || d[1] != 0 {
		t.Fatalf("bool→double: %v", d)
	}
	// int4 from float wraps.
	got, _ = ConvertTensor(ir.FromSlice([]float32{-9, 7, 8, 15}), ir.Int4, true)
	if d := got.Data.([]int8); d[0] != 7 || d[1] != 7 || d[2] != -8 || d[3] != -1 {
		t.Fatalf("float→int4: %v", d)
	}
	// Big int64 values stay exact through int paths.
	got, _ = ConvertTensor(ir.FromSlice([]int64{math.MaxInt64}), ir.Uint64, true)
	if got.Data.([]uint64)[0] != math.MaxInt64 {
		t.Fatalf("int64→uint64: %v", got.Data)
	}
	// float8 to float16 and back.
	f8 := &ir.Tensor{DType: ir.Float8E4M3FN, Shape: []int64{2}, Data: []uint8{0x38, 0x7e}}
	got, _ = ConvertTensor(f8, ir.Float16, true)
	if d := got.Data.([]ir.F16); d[0].Float32() != 1 || d[1].Float32() != 448 {
		t.Fatalf("e4m3fn→f16: %v", d)
	}
	// double → float16 rounds once.
	got, _ = ConvertTensor(ir.FromSlice([]float64{1 + 1.0/2048 + 1e-12}), ir.Float16, true)
	if d := got.Data.([]ir.F16); d[0] != 0x3c01 {
		t.Fatalf("double→f16 rounding: %#x", d[0])
	}
	// Same dtype: the tensor itself.
	if r, _ := ConvertTensor(src, ir.Float32, true); r != src {
		t.Fatal("same-dtype conversion should return the source")
	}
	if _, err := ConvertTensor(src, ir.Complex64, true); err == nil {
		t.Fatal("complex target should fail")
	}
}

func TestConvertStrings(t *testing.T) {
	src := ir.FromSlice([]string{"3.14", "1e-5", "1E8", "INF", "+inf", "-INF", "NaN", " 100.5 "})
	got, err := ConvertTensor(src, ir.Float32, true)
	if err != nil {
		t.Fatal(err)
	}
	d := got.F32()
	want := []float32{3.14, 1e-5, 1e8, float32(pinf), float32(pinf), float32(ninf)}
	for i, w := range want {
		if d[i] != w {
			t.Fatalf("string→float %d: %v", i, d)
		}
	}
	if !math.IsNaN(float64(d[6])) || d[7] != 100.5 {
		t.Fatalf("string→float: %v", d)
	}
	gotI, err := ConvertTensor(ir.FromSlice([]string{"100.5", "-7", "9223372036854775807"}), ir.Int64, true)
	if err != nil {
		t.Fatal(err)
	}
	if di := gotI.I64(); di[0] != 100 || di[1] != -7 || di[2] != math.MaxInt64 {
		t.Fatalf("string→int64: %v", di)
	}
	if _, err := ConvertTensor(ir.FromSlice([]string{"Hello"}), ir.Float32, true); err == nil {
		t.Fatal("non-numeric string should fail")
	}
	back, err := ConvertTensor(ir.FromSlice([]float32{314.15926, float32(pinf), float32(ninf), float32(nan), 1e-5}), ir.String, true)
	if err != nil {
		t.Fatal(err)
	}
	ws := []string{"314.15927", "INF", "-INF", "NaN", "1e-05"}
	for i, w := range ws {
		if back.Data.([]string)[i] != w {
			t.Fatalf("float→string: %q", back.Data)
		}
	}
	s, _ := ConvertTensor(ir.FromSlice([]int8{-5, 7}), ir.String, true)
	if d := s.Data.([]string); d[0] != "-5" || d[1] != "7" {
		t.Fatalf("int8→string: %q", d)
	}
}
