package vecmath

import (
	"math"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/kernels/isa"
)

func softplusRef(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

func mishRef(x float64) float64 { return x * math.Tanh(softplusRef(x)) }

// actCases are the activations of vec_act.go with float64 references and
// their documented bounds (plus the rounding of the float32 products for
// the scaled forms).
func actCases(r *Routines) []mathCase {
	const alpha, gamma = 1.67326319217681884765625, 1.05070102214813232421875
	return []mathCase{
		{"Expm1", r.Expm1, math.Expm1, ErrExpm1, nil},
		{"Elu", func(d, x []float32) { r.Elu(d, x, 0.5) }, func(x float64) float64 {
			if x < 0 {
				return 0.5 * math.Expm1(x)
			}
			return x
		}, ErrElu, nil},
		{"Selu", func(d, x []float32) { r.Selu(d, x, alpha, gamma) }, func(x float64) float64 {
			if x <= 0 {
				return gamma * alpha * math.Expm1(x)
			}
			return gamma * x
		}, ErrElu + 1, nil},
		{"Celu", func(d, x []float32) { r.Celu(d, x, 2) }, func(x float64) float64 {
			if x < 0 {
				return 2 * math.Expm1(x/2)
			}
			return x
		}, ErrElu, nil},
		{"Softplus", r.Softplus, softplusRef, ErrSoftplus, nil},
		{"Mish", r.Mish, mishRef, ErrMish, nil},
		{"HardSigmoid", func(d, x []float32) { r.HardSigmoid(d, x, 0.2, 0.5) }, func(x float64) float64 {
			return math.Max(0, math.Min(1, 0.2*x+0.5))
		}, 0.5, nil},
		{"HardSwish", r.HardSwish, func(x float64) float64 { return x * math.Max(0, math.Min(1, x/6+0.5)) }, 0.5, nil},
		{"Softsign", r.Softsign, func(x float64) float64 { return x / (1 + math.Abs(x)) }, 0.5, nil},
	}
}

// TestActAccuracy checks the bounds of vec_act.go on every level over the
// dense sweep (±0, denormals, ±Inf, NaN, the overflow and underflow edges
// of exp, large values), with x in chunks of odd length so that chunk
// boundaries are crossed.
func TestActAccuracy(t *testing.T) {
	stride := uint32(1999)
	if testing.Short() {
		stride = 40009
	}
	xs := sweep(stride)
	xs = append(xs, 1e-30, -1e-30, 1e-7, -1e-7, 0.6931471, -0.6931471, 0.6931472, -0.6931472, 20, 20.000002, -17.33, -17.34, 44, 45)
	for _, l := range isa.Supported() {
		r := For(l)
		for _, c := range actCases(r) {
			got := make([]float32, len(xs))
			c.fn(got, xs)
			worst, at := 0.0, float32(0)
			for i, x := range xs {
				if e := ulpErr(got[i], c.ref(float64(x))); !(e <= worst) {
					worst, at = e, x
				}
			}
			t.Logf("%s %-11s max error %.3g ulp at x=%g", l, c.name, worst, at)
			if !(worst <= c.bound) {
				t.Errorf("%s %s: error %.3g ulp at x=%g (%g, want %g) exceeds %g", l, c.name, worst, at, pick(c.fn, at), c.ref(float64(at)), c.bound)
			}
		}
	}
}

// TestActSpecial pins results at special values and checks that dst may
// be x, that lengths 0..70 and 1000 give the same as one element at a
// time, and that the input is left unmodified.
func TestActSpecial(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	nz := float32(math.Copysign(0, -1))
	type sv struct{ x, want float32 }
	special := map[string][]sv{
		"Expm1":    {{0, 0}, {nz, nz}, {inf, inf}, {-inf, -1}, {nan, nan}, {-30, -1}, {1e-30, 1e-30}, {89, inf}},
		"Elu":      {{0, 0}, {nz, 0}, {inf, inf}, {-inf, -0.5}, {nan, nan}, {-200, -0.5}},
		"Softplus": {{inf, inf}, {-inf, 0}, {nan, nan}, {-200, 0}, {100, 100}},
		"Mish":     {{0, 0}, {inf, inf}, {nan, nan}, {100, 100}},
	}
	for _, l := range isa.Supported() {
		r := For(l)
		for _, c := range actCases(r) {
			for _, s := range special[c.name] {
				got := pick(c.fn, s.x)
				if math.Float32bits(got) != math.Float32bits(s.want) && !(got != got && s.want != s.want) {
					t.Errorf("%s %s(%v) = %v, want %v", l, c.name, s.x, got, s.want)
				}
			}
			for _, n := range append(seqN(71), 1000) {
				x := make([]float32, n)
				for i := range x {
					x[i] = float32(math.Sin(float64(i)*0.7)) * 12
				}
				keep := append([]float32(nil), x...)
				d := make([]float32, n)
				c.fn(d, x)
				for i := range x {
					if math.Float32bits(x[i]) != math.Float32bits(keep[i]) {
						t.Fatalf("%s %s n=%d modified x", l, c.name, n)
					}
					if one := pick(c.fn, x[i]); math.Float32bits(one) != math.Float32bits(d[i]) {
						t.Fatalf("%s %s n=%d [%d] = %v, one at a time %v", l, c.name, n, i, d[i], one)
					}
				}
				c.fn(x, x)
				for i := range x {
					if math.Float32bits(x[i]) != math.Float32bits(d[i]) {
						t.Fatalf("%s %s n=%d in place differs at %d", l, c.name, n, i)
					}
				}
			}
		}
	}
}

func seqN(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func BenchmarkAct(b *testing.B) {
	x := make([]float32, 4096)
	for i := range x {
		x[i] = float32(math.Sin(float64(i)*0.37)) * 4
	}
	d := make([]float32, len(x))
	r := For(isa.Current())
	for _, c := range actCases(r) {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(4 * len(x)))
			for b.Loop() {
				c.fn(d, x)
			}
		})
	}
}

// TestActNoAlloc checks that the chunk buffers come from the pool (a stack
// array passed to the dispatch table's function values would be moved to
// the heap on every call).
func TestActNoAlloc(t *testing.T) {
	if raceOn {
		t.Skip("sync.Pool drops items under -race")
	}
	x := make([]float32, 600)
	for i := range x {
		x[i] = float32(i%37) - 18
	}
	d := make([]float32, len(x))
	for _, c := range actCases(For(isa.Current())) {
		c.fn(d, x)
		if a := allocstest.PerRun(20, func() { c.fn(d, x) }); a != 0 {
			t.Errorf("%s: %v allocations per call", c.name, a)
		}
	}
}
