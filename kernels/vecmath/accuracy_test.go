package vecmath

import (
	"fmt"
	"math"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// forEachLevel runs f with every ISA level this CPU supports forced.
func forEachLevel(t *testing.T, f func(t *testing.T, l isa.Level)) {
	for _, l := range isa.Supported() {
		t.Run("isa="+l.String(), func(t *testing.T) {
			defer isa.Force(l)()
			f(t, l)
		})
	}
}

// ulpErr returns |got - want| in units of the float32 spacing at want
// (2^-149 in the denormal range). Results that must be exact (NaN, ±Inf,
// overflow) give 0 when right and +Inf when wrong.
func ulpErr(got float32, want float64) float64 {
	g := float64(got)
	switch {
	case math.IsNaN(want):
		if math.IsNaN(g) {
			return 0
		}
		return math.Inf(1)
	case math.IsNaN(g):
		return math.Inf(1)
	case math.Abs(want) > math.MaxFloat32*(1+0x1p-25) || math.IsInf(want, 0):
		if g == math.Copysign(math.Inf(1), want) {
			return 0
		}
		return math.Inf(1)
	case math.IsInf(g, 0):
		// want ≤ MaxFloat32(1+2^-25): the float32 rounding is finite unless
		// want is within half an ulp of the overflow threshold.
		return math.Abs(g-want) / 0x1p104
	}
	w32 := float32(want)
	e := math.Ilogb(math.Abs(float64(w32)))
	if w32 == 0 || e < -126 {
		e = -126
	}
	return math.Abs(g-want) / math.Ldexp(1, e-23)
}

// sweep returns a dense sample of float32 values: every stride-th bit
// pattern (both signs), the special values and the edges of each
// function's ranges.
func sweep(stride uint32) []float32 {
	var xs []float32
	for b := uint64(0); b < 1<<31; b += uint64(stride) {
		xs = append(xs, math.Float32frombits(uint32(b)), -math.Float32frombits(uint32(b)))
	}
	inf := float32(math.Inf(1))
	xs = append(xs, 0, float32(math.Copysign(0, -1)), inf, -inf, float32(math.NaN()),
		math.Float32frombits(1), -math.Float32frombits(1), math.Float32frombits(0x007fffff), 0x1p-126,
		math.MaxFloat32, -math.MaxFloat32, 88.72283, 88.72284, 88.8, 89, -87.33654, -103.97208, -103.9721, -104, -105,
		0.625, -0.625, 0.62499994, 0.5, 0.49999997, 0.70710677, 3.9999998, 4, 4.0000005, 15, -15, 15.000001, -15.000001, 9.03, 10.7)
	for x := float32(-20); x <= 20; x += 1.0 / 1024 {
		xs = append(xs, x)
	}
	return xs
}

// mathCase is one vector function with its float64 reference and bound.
type mathCase struct {
	name  string
	fn    func(dst, x []float32)
	ref   func(float64) float64
	bound float64 // ulp
	// cond, when set, widens the bound at x to bound + cond(x) ulp (for
	// functions whose float32 evaluation is ill-conditioned).
	cond func(x float64) float64
}

func geluErfRef(x float64) float64 {
	if math.IsInf(x, 0) {
		return math.Max(x, 0)
	}
	if x >= 0 {
		return x - 0.5*x*math.Erfc(x/math.Sqrt2)
	}
	return 0.5 * x * math.Erfc(-x/math.Sqrt2)
}

func geluTanhRef(x float64) float64 {
	if math.IsInf(x, -1) {
		return 0
	}
	z2 := 2 * math.Sqrt(2/math.Pi) * (x + 0.044715*x*x*x)
	if z2 >= 0 {
		return x / (1 + math.Exp(-z2))
	}
	e := math.Exp(z2)
	return x * e / (1 + e)
}

func sigmoidRef(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

var mathCases = []mathCase{
	{"Exp", Exp, math.Exp, ErrExp, nil},
	{"Log", Log, math.Log, ErrLog, nil},
	{"Tanh", Tanh, math.Tanh, ErrTanh, nil},
	{"Sigmoid", Sigmoid, sigmoidRef, ErrSigmoid, nil},
	{"Erf", Erf, math.Erf, ErrErf, nil},
	{"GeluErf", GeluErf, geluErfRef, ErrGeluErf, nil},
	{"GeluTanh", GeluTanh, geluTanhRef, ErrGeluTanh, func(x float64) float64 {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return 0
		}
		return GeluTanhCond * math.Abs(2*math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x))
	}},
}

// TestAccuracy checks every function on every level against the float64
// reference over a dense sweep with the special values.
func TestAccuracy(t *testing.T) {
	stride := uint32(997)
	if testing.Short() {
		stride = 40009
	}
	xs := sweep(stride)
	dst := make([]float32, len(xs))
	forEachLevel(t, func(t *testing.T, l isa.Level) {
		for _, c := range mathCases {
			c.fn(dst, xs)
			worst, at := 0.0, float32(0)
			for i, x := range xs {
				want := c.ref(float64(x))
				e := ulpErr(dst[i], want)
				if c.cond != nil && !math.IsInf(e, 0) {
					e -= c.cond(float64(x))
				}
				if e > worst || math.IsNaN(e) {
					worst, at = e, x
				}
			}
			t.Logf("%-8s max error (beyond cond) %.3g ulp at x=%g (%g, want %g)", c.name, worst, at, pick(c.fn, at), c.ref(float64(at)))
			if !(worst <= c.bound) {
				t.Errorf("%s: error %.3g ulp at x=%g exceeds the documented %g", c.name, worst, at, c.bound)
			}
		}
	})
}

func pick(fn func(dst, x []float32), x float32) float32 {
	d := []float32{0}
	fn(d, []float32{x})
	return d[0]
}

// TestSpecialValues pins the exact results at IEEE special values.
func TestSpecialValues(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	nz := float32(math.Copysign(0, -1))
	type sv struct{ x, want float32 }
	cases := map[string][]sv{
		"Exp":      {{0, 1}, {nz, 1}, {inf, inf}, {-inf, 0}, {nan, nan}, {89, inf}, {-104, 0}},
		"Log":      {{1, 0}, {0, -inf}, {nz, -inf}, {inf, inf}, {-1, nan}, {nan, nan}},
		"Tanh":     {{0, 0}, {nz, nz}, {inf, 1}, {-inf, -1}, {nan, nan}, {20, 1}},
		"Sigmoid":  {{0, 0.5}, {nz, 0.5}, {inf, 1}, {-inf, 0}, {nan, nan}, {-200, 0}},
		"Erf":      {{0, 0}, {nz, nz}, {inf, 1}, {-inf, -1}, {nan, nan}, {5, 1}},
		"GeluErf":  {{0, 0}, {inf, inf}, {-inf, nz}, {nan, nan}, {-30, nz}},
		"GeluTanh": {{0, 0}, {inf, inf}, {-inf, nz}, {nan, nan}, {-30, nz}},
	}
	forEachLevel(t, func(t *testing.T, l isa.Level) {
		for _, c := range mathCases {
			for _, s := range cases[c.name] {
				got := pick(c.fn, s.x)
				if math.Float32bits(got) != math.Float32bits(s.want) && !(got != got && s.want != s.want) {
					t.Errorf("%s(%v) = %v, want %v", c.name, s.x, got, s.want)
				}
			}
		}
	})
}

func ExampleGeluErf() {
	x := []float32{-3, -1, 0, 1, 3}
	GeluErf(x, x)
	fmt.Printf("%.6f\n", x)
	// Output: [-0.004050 -0.158655 0.000000 0.841345 2.995950]
}
