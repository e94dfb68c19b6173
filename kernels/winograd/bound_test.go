package winograd

import (
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// unitRoundoff is u = 2⁻²⁴, half the float32 machine epsilon.
const unitRoundoff = 1.0 / (1 << 24)

// absGain returns S_m = max over outputs of Σ_{k,l} |Aᵀ[p][k]||Aᵀ[q][l]|
// (|G|𝟙|Gᵀ|)[k][l] (|Bᵀ|𝟙|B|)[k][l]: the largest magnitude one input
// channel's intermediate products can reach for |x|, |w| ≤ 1 (the
// direct convolution's counterpart is 9).
func absGain(v *variant) float64 {
	best := 0.0
	for p := range v.m {
		s := 0.0
		for k := range v.a {
			rb, rg := 0.0, 0.0
			for i := range v.a {
				rb += math.Abs(v.bt[k][i])
			}
			for i := range 3 {
				rg += math.Abs(v.g[k][i])
			}
			s += math.Abs(v.at[p][k]) * rb * rg
		}
		best = max(best, s)
	}
	return best * best
}

// roundingDepth is d_m, the longest chain of float32 roundings on the path
// of one channel's contribution outside the sum over channels: the input
// transform (two passes), the rounding of U, the product, the output
// transform (two passes) and the bias (see doc.go).
var roundingDepth = [...]int{2: 2*1 + 1 + 1 + 2*2 + 1, 4: 2*3 + 1 + 1 + 2*3 + 1}

// rmsGain returns R_m = max over outputs (p, q) of Σ_{k,l} (Aᵀ[p][k]
// Aᵀ[q][l])²·E[U_kl²]·E[V_kl²] raised to ½, for x and w independent and
// uniform in [-1, 1] (E[x²] = E[w²] = ⅓): the standard deviation of one
// channel's contribution to an output as it passes through the products.
func rmsGain(v *variant) float64 {
	best := 0.0
	for p := range v.m {
		s := 0.0
		for k := range v.a {
			nb, ng := 0.0, 0.0
			for i := range v.a {
				nb += v.bt[k][i] * v.bt[k][i]
			}
			for i := range 3 {
				ng += v.g[k][i] * v.g[k][i]
			}
			s += v.at[p][k] * v.at[p][k] * nb * ng
		}
		best = max(best, s)
	}
	return best / 3
}

// errorBound is the bound of doc.go for x, w uniform in [-1, 1]:
// λ·u·R_m·(cin + d_m) with λ = 6.
func errorBound(m, cin int) float64 {
	const lambda = 6
	return lambda * unitRoundoff * rmsGain(variants[m]) * float64(cin+roundingDepth[m])
}

func TestAbsGain(t *testing.T) {
	if g := absGain(&f43); g != 48*48 {
		t.Errorf("S_4 = %v, want 2304", g)
	}
	if g := absGain(&f23); g != 8*8 {
		t.Errorf("S_2 = %v, want 64", g)
	}
	for m, want := range map[int]float64{4: 283.0 / 9, 2: 5.0 / 3} {
		if g := rmsGain(variants[m]); math.Abs(g-want) > 0.01 {
			t.Errorf("R_%d = %v, want %v", m, g, want)
		}
	}
}

// TestErrorBound measures the largest error against the float64 direct
// convolution for x, w uniform in [-1, 1] over input channel counts up to
// 512 and checks it against errorBound; -v prints the measurements quoted
// in doc.go.
func TestErrorBound(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	cins := []int{1, 3, 16, 64, 256, 512}
	if testing.Short() {
		cins = cins[:4]
	}
	for _, m := range []int{2, 4} {
		for _, cin := range cins {
			c := convCase{n: 1, cin: cin, cout: 32, h: 20, w: 21, padT: 1, padL: 1, padB: 1, padR: 1, m: m, threads: 1}
			worst := 0.0
			for range 3 {
				x := randSlice(r, c.n*c.cin*c.h*c.w)
				w := randSlice(r, c.cout*c.cin*9)
				got, want := runCase(t, isa.Current(), c, x, w, nil)
				worst = max(worst, maxErr(got, want))
			}
			bound := errorBound(m, cin)
			t.Logf("F(%d,3) cin=%3d: max error %.2e = %5.1f·cin·u, bound %.2e (%.1f×)", m, cin, worst, worst/float64(cin)/unitRoundoff, bound, bound/worst)
			if worst > bound {
				t.Errorf("F(%d,3) cin=%d: max error %g > bound %g", m, cin, worst, bound)
			}
		}
	}
}
