package amd64

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// quantVariant is one ISA's set of quantization routines and the length
// multiple they need.
type quantVariant struct {
	name   string
	block  int
	minMax func([]float32) (float32, float32)
	quant  func([]uint8, []float32, float32, float32, float32, int32)
	deqU8  func([]float32, []uint8, float32, float32)
	deqS8  func([]float32, []int8, float32, float32)
	fake   func([]float32, []float32, float32, float32, float32)
}

func quantVariants() []quantVariant {
	var v []quantVariant
	if runtime.GOARCH != "amd64" {
		return v
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		v = append(v, quantVariant{"avx2", 8, MinMaxZeroAVX2, QuantizeBytesAVX2, DequantizeU8AVX2, DequantizeS8AVX2, FakeQuantAVX2})
	}
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL {
		v = append(v, quantVariant{"avx512", 16, MinMaxZeroAVX512, QuantizeBytesAVX512, DequantizeU8AVX512, DequantizeS8AVX512, FakeQuantAVX512})
	}
	return v
}

// quantSpecials are values every routine must treat as its twin does:
// signed zeros, NaNs, infinities, the halfway points of rounding, values
// just inside and outside the saturation bounds, subnormals.
var quantSpecials = []float32{
	0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
	0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 127.5, 128.5, -128.5, 254.5, 255.5, 0.49999997, -0.49999997,
	1e-45, -1e-45, 3e38, -3e38, 126.49999, 300, -300,
}

// quantInput fills n values: specials first, then a mix of normal values
// at several scales and exact halves (k + 0.5, scaled by the test's
// scale so that the quotient lands on a tie).
func quantInput(r *rand.Rand, n int, scale float32) []float32 {
	x := make([]float32, n)
	for i := range x {
		switch {
		case i < len(quantSpecials) && n > 2*len(quantSpecials):
			x[i] = quantSpecials[i] * scale
		case i%5 == 0:
			x[i] = (float32(r.IntN(600)-300) + 0.5) * scale
		default:
			x[i] = float32(r.NormFloat64() * 100 * float64(scale))
		}
	}
	return x
}

// TestMinMaxZeroAgainstTwin checks each variant's range against the twin
// bit for bit over lengths 0..70 blocks and a large one, with NaNs, signed
// zeros and all-positive or all-negative inputs.
func TestMinMaxZeroAgainstTwin(t *testing.T) {
	vs := quantVariants()
	if len(vs) == 0 {
		t.Skip("no AVX2 on this CPU")
	}
	r := rand.New(rand.NewPCG(21, 22))
	for _, v := range vs {
		for _, blocks := range append(halfSizes(71), 700) {
			n := blocks * v.block
			for _, shift := range []float32{0, 1e3, -1e3} {
				x := quantInput(r, n, 0.25)
				for i := range x {
					if x[i] == x[i] && shift != 0 {
						x[i] = float32(math.Abs(float64(x[i]))) * shift / 1e3
					}
				}
				lo, hi := v.minMax(x)
				wlo, whi := MinMaxZeroGo(x)
				if math.Float32bits(lo) != math.Float32bits(wlo) || math.Float32bits(hi) != math.Float32bits(whi) {
					t.Fatalf("%s n %d: range [%v, %v], twin [%v, %v]", v.name, n, lo, hi, wlo, whi)
				}
			}
		}
		// A lone -0 or NaN leaves the range at +0.
		x := make([]float32, v.block)
		x[3] = float32(math.Copysign(0, -1))
		x[5] = float32(math.NaN())
		if lo, hi := v.minMax(x); math.Float32bits(lo) != 0 || math.Float32bits(hi) != 0 {
			t.Fatalf("%s: range of zeros, -0 and NaN = [%v, %v], want [+0, +0]", v.name, lo, hi)
		}
	}
}

// TestQuantizeBytesAgainstTwin quantizes with each variant and the twin,
// uint8 (bounds -zp..255-zp) and int8 (-128-zp..127-zp) with several
// zero points and scales, bit for bit, over lengths 0..70 blocks and a
// large one, with guard bytes around dst.
func TestQuantizeBytesAgainstTwin(t *testing.T) {
	vs := quantVariants()
	if len(vs) == 0 {
		t.Skip("no AVX2 on this CPU")
	}
	r := rand.New(rand.NewPCG(23, 24))
	type bounds struct {
		qmin, qmax, zp int32
	}
	cases := []bounds{{0, 255, 0}, {0, 255, 128}, {0, 255, 255}, {0, 255, 37}, {-128, 127, 0}, {-128, 127, -128}, {-128, 127, 5}}
	const guard = 7
	for _, v := range vs {
		for _, blocks := range append(halfSizes(71), 700) {
			n := blocks * v.block
			for ci, b := range cases {
				scale := []float32{1, 0.0173, 3.7, 1e-30}[ci%4]
				x := quantInput(r, n, scale)
				lo, hi := float32(b.qmin-b.zp), float32(b.qmax-b.zp)
				got := make([]uint8, n+2*guard)
				for i := range got {
					got[i] = 0xa5
				}
				v.quant(got[guard:guard+n], x, scale, lo, hi, b.zp)
				want := make([]uint8, n)
				QuantizeBytesGo(want, x, scale, lo, hi, b.zp)
				for i := range got {
					e := uint8(0xa5)
					if i >= guard && i < guard+n {
						e = want[i-guard]
					}
					if got[i] != e {
						t.Fatalf("%s n %d case %v scale %v: dst[%d] = %d, want %d (x %v)", v.name, n, b, scale, i-guard, got[i], e, x[min(max(i-guard, 0), n-1)])
					}
				}
			}
		}
	}
}

// TestQuantizeBytesGoSemantics pins the twin to ONNX's formula computed
// in float64 from the float32 quotient: saturate(roundEven(x/scale)+zp),
// NaN to zp-saturated lo (0 for uint8 with zero point 0).
func TestQuantizeBytesGoSemantics(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	x := quantInput(r, 5000, 0.05)
	for _, zp := range []int32{0, 17, 255} {
		got := make([]uint8, len(x))
		QuantizeBytesGo(got, x, 0.05, float32(-zp), float32(255-zp), zp)
		for i, v := range x {
			q := v / 0.05
			want := 0.0
			if q == q {
				want = math.Max(0, math.Min(255, math.RoundToEven(float64(q))+float64(zp)))
			} else {
				want = 0
			}
			if float64(got[i]) != want {
				t.Fatalf("zp %d: x %v → %d, want %v", zp, v, got[i], want)
			}
		}
	}
}

// TestDequantizeAgainstTwin dequantizes every byte value (uint8 and
// int8) with several scales and zero points, then random lengths 0..70
// blocks with guards, bit for bit against the twins.
func TestDequantizeAgainstTwin(t *testing.T) {
	vs := quantVariants()
	if len(vs) == 0 {
		t.Skip("no AVX2 on this CPU")
	}
	r := rand.New(rand.NewPCG(27, 28))
	const guard = 5
	guardBits := math.Float32frombits(0x7fc0beef)
	for _, v := range vs {
		for _, blocks := range append(halfSizes(71), 700) {
			n := blocks * v.block
			u := make([]uint8, n)
			for i := range u {
				u[i] = uint8(i*7 + r.IntN(3))
			}
			s := make([]int8, n)
			for i := range s {
				s[i] = int8(u[i])
			}
			for _, p := range [][2]float32{{1, 0}, {0.0123, 128}, {3.5e-3, -7}, {1e-39, 3}} {
				check := func(kind string, run, twin func([]float32)) {
					got := make([]float32, n+2*guard)
					for i := range got {
						got[i] = guardBits
					}
					run(got[guard : guard+n])
					want := make([]float32, n)
					twin(want)
					for i := range got {
						e := guardBits
						if i >= guard && i < guard+n {
							e = want[i-guard]
						}
						if math.Float32bits(got[i]) != math.Float32bits(e) {
							t.Fatalf("%s %s n %d scale %v zp %v: dst[%d] = %v, want %v", v.name, kind, n, p[0], p[1], i-guard, got[i], e)
						}
					}
				}
				check("u8", func(d []float32) { v.deqU8(d, u, p[0], p[1]) }, func(d []float32) { DequantizeU8Go(d, u, p[0], p[1]) })
				check("s8", func(d []float32) { v.deqS8(d, s, p[0], p[1]) }, func(d []float32) { DequantizeS8Go(d, s, p[0], p[1]) })
			}
		}
	}
}

// TestFakeQuantAgainstTwin runs each variant's fake quantization against
// the twin bit for bit (uint8 and int8 bounds, several scales, lengths
// 0..70 blocks and a large one, guards around dst, and in place), and the
// twin against QuantizeBytesGo followed by the dequantization formula, so
// that it is the QuantizeLinear → DequantizeLinear pair.
func TestFakeQuantAgainstTwin(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 30))
	bounds := [][3]int32{{0, 255, 0}, {0, 255, 128}, {-128, 127, 0}, {-128, 127, -3}}
	x := quantInput(r, 3000, 0.031)
	for _, b := range bounds {
		lo, hi := float32(b[0]-b[2]), float32(b[1]-b[2])
		got := make([]float32, len(x))
		FakeQuantGo(got, x, 0.031, lo, hi)
		codes := make([]uint8, len(x))
		QuantizeBytesGo(codes, x, 0.031, lo, hi, b[2])
		for i := range x {
			q := int32(codes[i])
			if b[0] < 0 {
				q = int32(int8(codes[i]))
			}
			want := (float32(q) - float32(b[2])) * 0.031
			if math.Float32bits(got[i]) != math.Float32bits(want) {
				t.Fatalf("bounds %v: x %v → %v, the pair gives %v", b, x[i], got[i], want)
			}
		}
	}
	vs := quantVariants()
	if len(vs) == 0 {
		t.Skip("no AVX2 on this CPU")
	}
	const guard = 6
	guardBits := math.Float32frombits(0x7fc0f00d)
	for _, v := range vs {
		for _, blocks := range append(halfSizes(71), 700) {
			n := blocks * v.block
			for ci, b := range bounds {
				scale := []float32{1, 0.0173, 3.7, 1e-30}[ci%4]
				x := quantInput(r, n, scale)
				lo, hi := float32(b[0]-b[2]), float32(b[1]-b[2])
				got := make([]float32, n+2*guard)
				for i := range got {
					got[i] = guardBits
				}
				v.fake(got[guard:guard+n], x, scale, lo, hi)
				want := make([]float32, n)
				FakeQuantGo(want, x, scale, lo, hi)
				for i := range got {
					e := guardBits
					if i >= guard && i < guard+n {
						e = want[i-guard]
					}
					if math.Float32bits(got[i]) != math.Float32bits(e) {
						t.Fatalf("%s n %d bounds %v: dst[%d] = %v, want %v", v.name, n, b, i-guard, got[i], e)
					}
				}
				v.fake(x, x, scale, lo, hi) // in place
				for i := range x {
					if math.Float32bits(x[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s n %d in place: [%d] = %v, want %v", v.name, n, i, x[i], want[i])
					}
				}
			}
		}
	}
}
