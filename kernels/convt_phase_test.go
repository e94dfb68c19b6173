package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestConvTransposeNonFinite: an Inf in W, or a NaN or Inf in X, reaches
// exactly the outputs the definition sends it to in every form (the
// sub-pixel form's zero padding must not turn 0·Inf into NaN elsewhere; a
// W with Inf does not take that form), on every level.
func TestConvTransposeNonFinite(t *testing.T) {
	defer func(f int) { convTForce = f }(convTForce)
	rng := rand.New(rand.NewSource(77))
	attrs := nntAttrs("strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1}, "output_padding", []int64{1, 0})
	for _, bad := range []string{"w inf", "x nan", "x inf"} {
		x, w := nntRand(rng, 2, 5, 6, 7), nntRand(rng, 5, 3, 4, 3)
		switch bad {
		case "w inf":
			w.F32()[rng.Intn(len(w.F32()))] = float32(math.Inf(1))
		case "x nan":
			x.F32()[rng.Intn(len(x.F32()))] = float32(math.NaN())
		case "x inf":
			x.F32()[rng.Intn(len(x.F32()))] = float32(math.Inf(-1))
		}
		in := []*ir.Tensor{x, w}
		want, err := convTRun(attrs, convTToF64(in), false, Serial{}, isa.Generic)
		if err != nil {
			t.Fatal(err)
		}
		wd := ir.Data[float64](want)
		for _, l := range []isa.Level{isa.Generic, isa.Current()} {
			for _, force := range []int{-1, 0, 1, 2} {
				convTForce = force
				got, err := convTRun(attrs, in, true, Serial{}, l)
				convTForce = -1
				if err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("%s level %v force %d", bad, l, force)
				for i, v := range got.F32() {
					g, e := float64(v), wd[i]
					switch {
					case math.IsNaN(e) != math.IsNaN(g), math.IsInf(e, 1) != math.IsInf(g, 1), math.IsInf(e, -1) != math.IsInf(g, -1):
						t.Fatalf("%s: y[%d] = %v, want %v", name, i, g, e)
					case !math.IsNaN(e) && !math.IsInf(e, 0) && math.Abs(g-e) > 2e-5*(1+math.Abs(e)):
						t.Fatalf("%s: y[%d] = %v, want %v", name, i, g, e)
					}
				}
			}
		}
	}
}

// TestConvTPhaseChoose pins the sub-pixel form's choice on the shapes it
// was measured on (TestConvTransposeCPU): a DCGAN generator's 16×16 k4s2
// layer, a U-Net's 32×32 k2s2 layer and a 32×32 k3s1 layer to three
// channels take it on AVX-512; the generator's 4×4 k4s2 and 8×8 k3s2
// layers and a wide 16×16 k4s2 layer run colᵀ; no layer takes it on
// AVX2.
func TestConvTPhaseChoose(t *testing.T) {
	for _, tc := range []struct {
		x, w []int64
		t    convT2D
		want bool
	}{
		{[]int64{3, 24, 8, 8}, []int64{24, 13, 3, 3}, convT2D{ih: 8, iw: 8, oh: 16, ow: 16, kh: 3, kw: 3, sh: 2, sw: 2, dh: 1, dw: 1, ph: 1, pw: 1}, false},
		{[]int64{1, 64, 32, 32}, []int64{64, 32, 2, 2}, convT2D{ih: 32, iw: 32, oh: 64, ow: 64, kh: 2, kw: 2, sh: 2, sw: 2, dh: 1, dw: 1}, true},
		{[]int64{1, 128, 16, 16}, []int64{128, 64, 4, 4}, convT2D{ih: 16, iw: 16, oh: 32, ow: 32, kh: 4, kw: 4, sh: 2, sw: 2, dh: 1, dw: 1, ph: 1, pw: 1}, false},
		{[]int64{1, 16, 32, 32}, []int64{16, 3, 3, 3}, convT2D{ih: 32, iw: 32, oh: 32, ow: 32, kh: 3, kw: 3, sh: 1, sw: 1, dh: 1, dw: 1, ph: 1, pw: 1}, true},
		{[]int64{3, 13, 16, 16}, []int64{13, 3, 4, 4}, convT2D{ih: 16, iw: 16, oh: 32, ow: 32, kh: 4, kw: 4, sh: 2, sw: 2, dh: 1, dw: 1, ph: 1, pw: 1}, true},
		{[]int64{3, 40, 4, 4}, []int64{40, 24, 4, 4}, convT2D{ih: 4, iw: 4, oh: 8, ow: 8, kh: 4, kw: 4, sh: 2, sw: 2, dh: 1, dw: 1, ph: 1, pw: 1}, false},
	} {
		g := &convGeom{n: int(tc.x[0]), c: int(tc.x[1]), m: int(tc.w[1]), group: 1}
		if got := convTPhaseChoose(g, tc.t, isa.AVX512); got != tc.want {
			t.Errorf("%v: AVX-512 %v, want %v", tc.x, got, tc.want)
		}
		if convTPhaseChoose(g, tc.t, isa.AVX2) {
			t.Errorf("%v: AVX2 takes the sub-pixel form", tc.x)
		}
	}
}
