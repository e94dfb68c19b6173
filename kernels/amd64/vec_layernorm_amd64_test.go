package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestVecLayerNormAgainstTwin checks VecLayerNormAVX512 against its twin
// for row lengths 1..70 and 1000, in place and out of place, with NaN
// guard regions around every operand, rows far from zero (the two-pass
// variance), constant rows (variance 0) and rows holding NaN or ±Inf.
func TestVecLayerNormAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(9, 10))
	ns := make([]int, 0, 71)
	for n := 1; n <= 70; n++ {
		ns = append(ns, n)
	}
	ns = append(ns, 128, 1000)
	for _, n := range ns {
		for trial := range 6 {
			xFull, x := guarded(n)
			sFull, sc := guarded(n)
			bFull, bs := guarded(n)
			off := 0.0
			if trial == 1 {
				off = 1000
			}
			for i := range x {
				x[i] = float32(off + r.NormFloat64()*3)
				sc[i] = float32(r.NormFloat64())
				bs[i] = float32(r.NormFloat64())
			}
			switch trial {
			case 2:
				for i := range x {
					x[i] = 2.5
				}
			case 3:
				x[r.IntN(n)] = float32(math.NaN())
			case 4:
				x[r.IntN(n)] = float32(math.Inf(1 - 2*r.IntN(2)))
			}
			xWas := append([]float32(nil), x...)
			want := make([]float32, n)
			VecLayerNormGo(want, x, sc, bs, 1e-5)
			what := fmt.Sprintf("n=%d trial=%d", n, trial)
			dFull, d := guarded(n)
			VecLayerNormAVX512(d, x, sc, bs, 1e-5)
			for _, g := range []struct {
				name string
				full []float32
			}{{"x", xFull}, {"scale", sFull}, {"bias", bFull}, {"dst", dFull}} {
				checkGuards(t, what+" "+g.name, g.full, n)
			}
			for i := range x {
				if math.Float32bits(x[i]) != math.Float32bits(xWas[i]) {
					t.Fatalf("%s: x modified", what)
				}
			}
			// The sums' order differs: bound the error of the mean by
			// (log₂n+2) ulp of the mean magnitude, carried through rs·|scale|,
			// and the relative error of rs likewise.
			var abs, mean float64
			for _, v := range xWas {
				abs += math.Abs(float64(v))
				mean += float64(v)
			}
			mean /= float64(n)
			vr := 0.0
			for _, v := range xWas {
				vr += (float64(v) - mean) * (float64(v) - mean)
			}
			rs := 1 / math.Sqrt(vr/float64(n)+1e-5)
			steps := (math.Log2(float64(n)) + 2) * 0x1p-23
			check := func(label string, got []float32) {
				for i := range got {
					g, w := float64(got[i]), float64(want[i])
					tol := steps*(abs/float64(n))*rs*math.Abs(float64(sc[i])) + 2*steps*math.Abs(w-float64(bs[i])) + 4*0x1p-24*math.Abs(w) + 1e-7
					if math.IsNaN(g) != math.IsNaN(w) || math.Abs(g-w) > tol {
						t.Fatalf("%s%s: dst[%d] = %v, twin %v (tolerance %g)", what, label, i, g, w, tol)
					}
				}
			}
			check("", d)
			VecLayerNormAVX512(x, x, sc, bs, 1e-5)
			checkGuards(t, what+" in place", xFull, n)
			check(" in place", x)
		}
	}
}
