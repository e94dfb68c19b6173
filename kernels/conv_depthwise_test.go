package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/vecmath"
)

// depthwise1DRef is depthwise1D's definition, term by term.
func depthwise1DRef(dst, x, wts, bias []float32, n, c, mult int, w *vecmath.Window2D) {
	m := c * mult
	for img := range n {
		for oc := range m {
			for o := range w.OW {
				var s float64
				if bias != nil {
					s = float64(bias[oc])
				}
				for t := range w.KW {
					p := o*w.SW - w.PadL + t*w.DW
					if p >= 0 && p < w.W {
						s += float64(wts[oc*w.KW+t]) * float64(x[(img*c+oc/mult)*w.W+p])
					}
				}
				dst[(img*m+oc)*w.OW+o] = float32(s)
			}
		}
	}
}

func TestDepthwise1D(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for _, tc := range []struct{ n, c, mult, iw, k, s, d, pl, pr int }{
		{1, 258, 1, 24, 5, 1, 1, 2, 2}, {2, 3, 2, 17, 3, 2, 1, 1, 0}, {1, 4, 1, 9, 3, 1, 3, 4, 4},
		{1, 2, 3, 5, 7, 1, 1, 0, 0}, {1, 5, 1, 1, 1, 1, 1, 0, 0}, {3, 2, 1, 40, 4, 3, 2, 5, 1},
		{1, 1, 1, 6, 5, 1, 1, 6, 6}, {1, 2, 1, 70, 5, 1, 1, 2, 2},
	} {
		ow := (tc.iw+tc.pl+tc.pr-((tc.k-1)*tc.d+1))/tc.s + 1
		if ow <= 0 {
			continue
		}
		w := &vecmath.Window2D{H: 1, W: tc.iw, KH: 1, KW: tc.k, SH: 1, SW: tc.s, DH: 1, DW: tc.d, PadL: tc.pl, PadR: tc.pr, OH: 1, OW: ow}
		m := tc.c * tc.mult
		x, wts, bias := randF32(rng, tc.n*tc.c*tc.iw), randF32(rng, m*tc.k), randF32(rng, m)
		x0, w0 := append([]float32(nil), x...), append([]float32(nil), wts...)
		for _, b := range [][]float32{bias, nil} {
			got, want := make([]float32, tc.n*m*ow+1), make([]float32, tc.n*m*ow)
			got[len(got)-1] = float32(math.NaN())
			depthwise1D(got[:len(want)], x, wts, b, tc.n, tc.c, tc.mult, w)
			depthwise1DRef(want, x, wts, b, tc.n, tc.c, tc.mult, w)
			for i := range want {
				if d := math.Abs(float64(got[i] - want[i])); d > 1e-5*(1+math.Abs(float64(want[i]))) {
					t.Fatalf("%+v: dst[%d] = %v, want %v", tc, i, got[i], want[i])
				}
			}
			if !math.IsNaN(float64(got[len(got)-1])) {
				t.Fatalf("%+v: wrote past dst", tc)
			}
			// The plane routine (a row is a plane of height 1) agrees.
			vecmath.For(isa.Current()).DepthwiseConv2D(got[:len(want)], x, wts, b, tc.n, tc.c, tc.mult, w)
			for i := range want {
				if d := math.Abs(float64(got[i] - want[i])); d > 1e-5*(1+math.Abs(float64(want[i]))) {
					t.Fatalf("%+v: DepthwiseConv2D dst[%d] = %v, want %v", tc, i, got[i], want[i])
				}
			}
		}
		for i := range x {
			if x[i] != x0[i] {
				t.Fatal("x modified")
			}
		}
		for i := range wts {
			if wts[i] != w0[i] {
				t.Fatal("weights modified")
			}
		}
	}
}

func randF32(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = rng.Float32()*2 - 1
	}
	return s
}

// BenchmarkDepthwise1D compares the row routine with the plane routine on
// a speech model's 1-D depthwise layers.
func BenchmarkDepthwise1D(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	for _, tc := range []struct{ c, iw int }{{258, 24}, {32, 6}} {
		w := &vecmath.Window2D{H: 1, W: tc.iw, KH: 1, KW: 5, SH: 1, SW: 1, DH: 1, DW: 1, PadL: 2, PadR: 2, OH: 1, OW: tc.iw}
		x, wts, bias, y := randF32(rng, tc.c*tc.iw), randF32(rng, tc.c*5), randF32(rng, tc.c), make([]float32, tc.c*tc.iw)
		b.Run(fmt.Sprintf("row/%dx%d", tc.c, tc.iw), func(b *testing.B) {
			for b.Loop() {
				depthwise1D(y, x, wts, bias, 1, tc.c, 1, w)
			}
		})
		b.Run(fmt.Sprintf("plane/%dx%d", tc.c, tc.iw), func(b *testing.B) {
			r := vecmath.For(isa.Current())
			for b.Loop() {
				r.DepthwiseConv2D(y, x, wts, bias, 1, tc.c, 1, w)
			}
		})
	}
}
