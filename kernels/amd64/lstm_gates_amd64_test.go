package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"

	"github.com/nncc/nncc/kernels/vecmath/purego"
)

type lstmGatesVariant struct {
	name          string
	fn            func(p []float32, ld int, c, h []float32)
	sigmoid, tanh func(dst, x []float32)
	ok            bool
}

func lstmGatesVariants() []lstmGatesVariant {
	avx2 := runtime.GOARCH == "amd64" && cpu.X86.HasAVX2 && cpu.X86.HasFMA
	avx512 := avx2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL
	return []lstmGatesVariant{
		{"avx512", LSTMGatesAVX512, VecSigmoidAVX512, VecTanhAVX512, avx512},
		{"avx2", LSTMGatesAVX2, VecSigmoidAVX2, VecTanhAVX2, avx2},
	}
}

// lstmGatesErr is the stated error bound of the fused LSTM gate kernels
// and their twin, in units of 2^-24 (float32's half ulp at 1): with the
// exact sigmoid and tanh of the float32 inputs and exact arithmetic,
//
//	|c' - c'ₑ| ≤ lstmGatesErr·2^-24·(|σ(f)·c| + |tanh(g)·σ(i)|)
//	|h - hₑ|   ≤ lstmGatesErr·2^-24·(|hₑ| + σ(o)·(|σ(f)·c| + |tanh(g)·σ(i)|))
//
// (sigmoid within 3 ulp, tanh within 2, each product and the sum rounded
// once: 6 ulp of the larger term, 2·6 = 12 half-ulps, rounded up to 16),
// plus twice the spacing of the subnormals (σ of a large negative input).
const lstmGatesErr = 16

// TestLSTMGatesAgainstTwin runs each fused LSTM gate kernel over 0…70 and
// larger unit counts with gate rows further apart than the count and NaN
// guards around every buffer: it must leave the gate inputs and every
// guard alone, give bit for bit what its level's sigmoid and tanh
// routines with separate products and sum give (the unfused step it
// replaces), and stay within lstmGatesErr of the exact math, as the twin
// does.
func TestLSTMGatesAgainstTwin(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	sizes := []int{127, 128, 129, 1000}
	for n := 0; n <= 70; n++ {
		sizes = append(sizes, n)
	}
	for _, v := range lstmGatesVariants() {
		if !v.ok {
			t.Logf("%s: not supported on this CPU, skipped", v.name)
			continue
		}
		for _, n := range sizes {
			ld := n + 3
			what := fmt.Sprintf("%s n=%d", v.name, n)
			pFull, p := guarded(3*ld + n)
			cFull, c := guarded(n)
			hFull, h := guarded(n)
			for i := range p {
				p[i] = float32(r.NormFloat64() * 4)
			}
			if n > 0 {
				p[0], p[ld+n-1], p[2*ld], p[3*ld+n-1] = 0, -100, 100, 1e-30
			}
			for i := range c {
				c[i] = float32(r.NormFloat64() * 2)
			}
			pWas, cWas := append([]float32(nil), p...), append([]float32(nil), c...)
			v.fn(p, ld, c, h)
			checkGuards(t, what+" p", pFull, len(p))
			checkGuards(t, what+" c", cFull, n)
			checkGuards(t, what+" h", hFull, n)
			for i := range p {
				if math.Float32bits(p[i]) != math.Float32bits(pWas[i]) {
					t.Fatalf("%s: gate input %d modified", what, i)
				}
			}
			// The unfused step: the level's routines, then products and sum.
			gi, gout := make([]float32, n), make([]float32, n)
			gf, gg, th := make([]float32, n), make([]float32, n), make([]float32, n)
			v.sigmoid(gi, p[:n])
			v.sigmoid(gout, p[ld:ld+n])
			v.sigmoid(gf, p[2*ld:2*ld+n])
			v.tanh(gg, p[3*ld:3*ld+n])
			wc := make([]float32, n)
			for j := range wc {
				wc[j] = cWas[j]*gf[j] + gg[j]*gi[j]
			}
			v.tanh(th, wc)
			for j := range n {
				wh := gout[j] * th[j]
				if math.Float32bits(c[j]) != math.Float32bits(wc[j]) || math.Float32bits(h[j]) != math.Float32bits(wh) {
					t.Fatalf("%s: [%d] c, h = %v, %v; unfused %v, %v", what, j, c[j], h[j], wc[j], wh)
				}
			}
			// The twin, and both against the exact math.
			tc, thh := append([]float32(nil), cWas...), make([]float32, n)
			purego.LSTMGates(p, ld, tc, thh)
			for j := range n {
				checkLSTMGatesErr(t, what, j, p[j], p[ld+j], p[2*ld+j], p[3*ld+j], cWas[j], c[j], h[j])
				checkLSTMGatesErr(t, what+" twin", j, p[j], p[ld+j], p[2*ld+j], p[3*ld+j], cWas[j], tc[j], thh[j])
			}
		}
	}
}

// checkLSTMGatesErr checks one unit's c' and h against the exact math
// within lstmGatesErr.
func checkLSTMGatesErr(t *testing.T, what string, j int, i, o, f, g, c, gotC, gotH float32) {
	t.Helper()
	sig := func(x float32) float64 { return 1 / (1 + math.Exp(-float64(x))) }
	a, b := sig(f)*float64(c), math.Tanh(float64(g))*sig(i)
	ce := a + b
	he := sig(o) * math.Tanh(ce)
	const eps, tiny = 0x1p-24, 0x1p-148 // tiny: the subnormals' spacing, twice
	scale := math.Abs(a) + math.Abs(b)
	if d := math.Abs(float64(gotC) - ce); d > lstmGatesErr*eps*scale+tiny {
		t.Fatalf("%s: [%d] c' = %v, exact %v (error %.3g of scale %.3g)", what, j, gotC, ce, d, scale)
	}
	if d := math.Abs(float64(gotH) - he); d > lstmGatesErr*eps*(math.Abs(he)+sig(o)*scale)+tiny {
		t.Fatalf("%s: [%d] h = %v, exact %v (error %.3g)", what, j, gotH, he, d)
	}
}

// BenchmarkLSTMGates times each fused kernel and, for comparison, the
// unfused routines it replaces on 128 hidden units (seed_rnn_lstm's).
func BenchmarkLSTMGates(b *testing.B) {
	const n = 128
	p, c, h := make([]float32, 4*n), make([]float32, n), make([]float32, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range p {
		p[i] = float32(r.NormFloat64() * 2)
	}
	for _, v := range lstmGatesVariants() {
		if !v.ok {
			continue
		}
		b.Run(v.name+"/fused", func(b *testing.B) {
			for b.Loop() {
				v.fn(p, n, c, h)
			}
		})
		b.Run(v.name+"/unfused", func(b *testing.B) {
			g := make([]float32, 4*n)
			for b.Loop() {
				v.sigmoid(g[:3*n], p[:3*n])
				v.tanh(g[3*n:], p[3*n:])
				for j := range c {
					c[j] = c[j]*g[2*n+j] + g[3*n+j]*g[j]
				}
				v.tanh(h, c)
				for j := range h {
					h[j] *= g[n+j]
				}
			}
		})
	}
}
