package amd64

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestNCHWcLeakyAgainstTwin compares the AVX-512 LeakyRelu with its twin
// bit for bit over lengths 0..70 and large ones, with NaN, ±0 and ±Inf in
// the input and guard regions around it.
func TestNCHWcLeakyAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(11, 12))
	sizes := []int{1000, 4099}
	for n := range 71 {
		sizes = append(sizes, n)
	}
	for _, n := range sizes {
		for _, alpha := range []float32{0.01, 0.2, 0, 1, -0.5, 3} {
			f1, x1 := guardedFill(r, n)
			if n > 5 {
				x1[n/2] = float32(math.NaN())
				x1[1] = float32(math.Copysign(0, -1))
				x1[2] = float32(math.Inf(-1))
				x1[3] = float32(math.Inf(1))
			}
			in := append([]float32(nil), x1...)
			f2, x2 := guarded(n)
			copy(x2, x1)
			NCHWcLeakyAVX512(x1, alpha)
			NCHWcLeakyGo(x2, alpha)
			for i := range x1 {
				if math.Float32bits(x1[i]) != math.Float32bits(x2[i]) && !(x1[i] != x1[i] && x2[i] != x2[i]) {
					t.Fatalf("n=%d alpha=%v: x[%d] = %v, twin %v (input %v)", n, alpha, i, x1[i], x2[i], in[i])
				}
				want := in[i]
				if want < 0 {
					want *= alpha
				}
				if math.Float32bits(x2[i]) != math.Float32bits(want) && !(want != want && x2[i] != x2[i]) {
					t.Fatalf("n=%d alpha=%v: twin x[%d] = %v, want %v", n, alpha, i, x2[i], want)
				}
			}
			checkGuards(t, "x", f1, n)
			checkGuards(t, "x (twin)", f2, n)
		}
	}
}

// TestNCHWcHardSwishAgainstTwin compares the AVX-512 HardSwish with its
// twin bit for bit over lengths 0..70 and large ones (values spread over
// the clamp's three pieces, with NaN, ±0 and ±Inf), with guard regions,
// and the twin with the float64 formula f·clamp(f/6 + 1/2) within 1 ulp.
func TestNCHWcHardSwishAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(13, 14))
	sizes := []int{1000, 4099}
	for n := range 71 {
		sizes = append(sizes, n)
	}
	for _, n := range sizes {
		f1, x1 := guardedFill(r, n)
		for i := range x1 {
			x1[i] = float32(r.NormFloat64() * 4)
		}
		if n > 5 {
			x1[n/2] = float32(math.NaN())
			x1[1] = float32(math.Copysign(0, -1))
			x1[2] = float32(math.Inf(-1))
			x1[3] = float32(math.Inf(1))
		}
		in := append([]float32(nil), x1...)
		f2, x2 := guarded(n)
		copy(x2, x1)
		NCHWcHardSwishAVX512(x1)
		NCHWcHardSwishGo(x2)
		for i := range x1 {
			if math.Float32bits(x1[i]) != math.Float32bits(x2[i]) && !(x1[i] != x1[i] && x2[i] != x2[i]) {
				t.Fatalf("n=%d: x[%d] = %v, twin %v (input %v)", n, i, x1[i], x2[i], in[i])
			}
			f := float64(in[i])
			want := float32(f * math.Max(0, math.Min(1, f/6+0.5)))
			if d := math.Abs(float64(x2[i] - want)); d > 1e-6*math.Abs(float64(want)) && !(want != want && x2[i] != x2[i]) {
				t.Fatalf("n=%d: twin x[%d] = %v, want %v", n, i, x2[i], want)
			}
		}
		checkGuards(t, "x", f1, n)
		checkGuards(t, "x (twin)", f2, n)
	}
}
