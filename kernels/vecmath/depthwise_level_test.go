package vecmath

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// dwGeoms are 3×3 depthwise windows over the fast path: strides 1 and 2,
// no/symmetric/asymmetric/oversized padding, planes from 1×1 to wide.
func dwGeoms() []Window2D {
	var ws []Window2D
	for _, hw := range [][2]int{{1, 1}, {3, 3}, {5, 7}, {12, 12}, {17, 40}, {48, 48}} {
		for _, s := range [][2]int{{1, 1}, {2, 2}, {1, 2}, {2, 1}} {
			for _, p := range [][4]int{{0, 0, 0, 0}, {1, 1, 1, 1}, {0, 0, 1, 1}, {1, 0, 0, 1}, {2, 3, 1, 2}} {
				w := Window2D{H: hw[0], W: hw[1], KH: 3, KW: 3, SH: s[0], SW: s[1], DH: 1, DW: 1,
					PadT: p[0], PadL: p[1], PadB: p[2], PadR: p[3]}
				w.OH = (w.H+w.PadT+w.PadB-3)/w.SH + 1
				w.OW = (w.W+w.PadL+w.PadR-3)/w.SW + 1
				if w.H+w.PadT+w.PadB < 3 || w.W+w.PadL+w.PadR < 3 {
					continue
				}
				ws = append(ws, w)
			}
		}
	}
	return ws
}

// TestDepthwiseLevels compares every level's DepthwiseConv2D with the
// tap-by-tap loop (small integers: exact in any summation order).
func TestDepthwiseLevels(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, w := range dwGeoms() {
		const n, c, mult = 2, 3, 2
		m := c * mult
		x := make([]float32, n*c*w.H*w.W)
		wts := make([]float32, m*9)
		bias := make([]float32, m)
		for _, s := range [][]float32{x, wts, bias} {
			for i := range s {
				s[i] = float32(r.IntN(7) - 3)
			}
		}
		os := w.OH * w.OW
		want := make([]float32, n*m*os)
		for img := range n {
			for oc := range m {
				d := want[(img*m+oc)*os : (img*m+oc+1)*os]
				for i := range d {
					d[i] = bias[oc]
				}
				dwTaps(d, x[(img*c+oc/mult)*w.H*w.W:(img*c+oc/mult+1)*w.H*w.W], wts[oc*9:oc*9+9], &w)
			}
		}
		xCopy := slices.Clone(x)
		for _, l := range []isa.Level{isa.Generic, isa.AVX2, isa.AVX512} {
			if !isa.Has(l) {
				continue
			}
			yFull, y := guarded(n * m * os)
			ww := w
			For(l).DepthwiseConv2D(y, x, wts, bias, n, c, mult, &ww)
			name := fmt.Sprintf("%v %+v", l, w)
			checkGuards(t, name, yFull)
			if !slices.Equal(x, xCopy) {
				t.Fatalf("%s: input modified", name)
			}
			for i := range y {
				if y[i] != want[i] {
					t.Fatalf("%s: y[%d] = %v, want %v", name, i, y[i], want[i])
				}
			}
		}
	}
}

// BenchmarkDepthwise3x3 runs MobileNet-like 3×3 depthwise layers per level.
func BenchmarkDepthwise3x3(b *testing.B) {
	for _, g := range []struct{ c, hw, s int }{{96, 48, 1}, {96, 48, 2}, {144, 24, 1}, {192, 12, 1}, {384, 6, 1}} {
		w := Window2D{H: g.hw, W: g.hw, KH: 3, KW: 3, SH: g.s, SW: g.s, DH: 1, DW: 1, PadT: 1, PadL: 1, PadB: 1, PadR: 1}
		w.OH = (g.hw+2-3)/g.s + 1
		w.OW = w.OH
		x := make([]float32, g.c*g.hw*g.hw)
		for i := range x {
			x[i] = float32(i%13) * 0.1
		}
		wts := make([]float32, g.c*9)
		for i := range wts {
			wts[i] = float32(i%7) * 0.2
		}
		y := make([]float32, g.c*w.OH*w.OW)
		for _, l := range []isa.Level{isa.Generic, isa.AVX2, isa.AVX512} {
			if !isa.Has(l) {
				continue
			}
			b.Run(fmt.Sprintf("c%d_%d_s%d/%v", g.c, g.hw, g.s, l), func(b *testing.B) {
				r := For(l)
				for b.Loop() {
					r.DepthwiseConv2D(y, x, wts, nil, 1, g.c, 1, &w)
				}
			})
		}
	}
}
