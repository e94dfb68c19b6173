package vecmath

import (
	"math"
	"os"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// TestExpSubnormalRange checks exp, sigmoid and the softmax pass on every
// float32 in [-105, -80], where exp's result is subnormal or 0 and the
// AVX2 and AVX-512 routines round it by their add-one path instead of
// an underflowing multiply: within ErrExp (ErrSigmoid) ulp of the float64
// reference with the ulp of the denormals, 2^-149, on every level, and
// where both x86 levels are present, the AVX2 results bit for bit those of
// AVX-512 (the same arithmetic up to the final scaling).
func TestExpSubnormalRange(t *testing.T) {
	var xs []float32
	for b := math.Float32bits(-80); b <= math.Float32bits(-105); b++ {
		xs = append(xs, math.Float32frombits(b))
	}
	xs = append(xs, float32(math.Inf(-1)), -math.MaxFloat32, -1e30, -0x1p126)
	neg := make([]float32, len(xs))
	for i, x := range xs {
		neg[i] = -x
	}
	type out struct{ exp, sig, sigNeg, ess []float32 }
	res := map[isa.Level]out{}
	forEachLevel(t, func(t *testing.T, l isa.Level) {
		im := &levels[l]
		o := out{make([]float32, len(xs)), make([]float32, len(xs)), make([]float32, len(xs)), make([]float32, len(xs))}
		im.exp(o.exp, xs)
		im.sigmoid(o.sig, xs)
		im.sigmoid(o.sigNeg, neg)
		im.expShiftSum(o.ess, neg, 185) // exp(-x - 185): 105 … 80 give [-80, -105]
		for i, x := range xs {
			for _, c := range []struct {
				name  string
				got   float32
				want  float64
				bound float64
			}{
				{"exp", o.exp[i], math.Exp(float64(x)), ErrExp},
				{"sigmoid", o.sig[i], sigmoidRef(float64(x)), ErrSigmoid},
				{"sigmoid(-x)", o.sigNeg[i], sigmoidRef(float64(neg[i])), ErrSigmoid},
				{"expShiftSum", o.ess[i], math.Exp(float64(neg[i]) - 185), ErrExp + 1},
			} {
				if e := ulpErr(c.got, c.want); !(e <= c.bound) {
					t.Fatalf("%s(%v) = %v, want %v: %.3g ulp", c.name, x, c.got, c.want, e)
				}
			}
		}
		res[l] = o
	})
	a, okA := res[isa.AVX2]
	b, okB := res[isa.AVX512]
	if !okA || !okB {
		return
	}
	for i, x := range xs {
		if !sameBits(
			[]float32{a.exp[i], a.sig[i], a.sigNeg[i], a.ess[i]},
			[]float32{b.exp[i], b.sig[i], b.sigNeg[i], b.ess[i]}) {
			t.Fatalf("x=%v: avx2 exp, sigmoid, sigmoid(-x), expShiftSum %v %v %v %v, avx512 %v %v %v %v", x,
				a.exp[i], a.sig[i], a.sigNeg[i], a.ess[i], b.exp[i], b.sig[i], b.sigNeg[i], b.ess[i])
		}
	}
}

// TestExpAVX2MatchesAVX512 (NNCC_EXHAUSTIVE=1, where both levels run)
// compares the AVX2 exp and sigmoid with the AVX-512 ones bit for bit over
// all 2^32 inputs: they share the algorithm, with exact scalings (two
// products against one VSCALEFPS) and the same add-one rounding of the
// subnormal results. It takes tens of seconds.
func TestExpAVX2MatchesAVX512(t *testing.T) {
	if os.Getenv("NNCC_EXHAUSTIVE") == "" {
		t.Skip("set NNCC_EXHAUSTIVE=1")
	}
	if !isa.Has(isa.AVX2) || !isa.Has(isa.AVX512) {
		t.Skip("needs AVX2 and AVX-512")
	}
	a, b := &levels[isa.AVX2], &levels[isa.AVX512]
	const chunk = 1 << 20
	xs, ga, gb := make([]float32, chunk), make([]float32, chunk), make([]float32, chunk)
	for _, c := range []struct {
		name   string
		fa, fb func(dst, x []float32)
	}{{"exp", a.exp, b.exp}, {"sigmoid", a.sigmoid, b.sigmoid}} {
		for hi := uint64(0); hi < 1<<32; hi += chunk {
			for i := range xs {
				xs[i] = math.Float32frombits(uint32(hi) + uint32(i))
			}
			c.fa(ga, xs)
			c.fb(gb, xs)
			for i := range xs {
				if math.Float32bits(ga[i]) != math.Float32bits(gb[i]) {
					t.Fatalf("%s(%v [%#08x]): avx2 %v [%#08x], avx512 %v [%#08x]", c.name, xs[i], math.Float32bits(xs[i]),
						ga[i], math.Float32bits(ga[i]), gb[i], math.Float32bits(gb[i]))
				}
			}
		}
		t.Logf("%s: all 2^32 inputs match", c.name)
	}
}
