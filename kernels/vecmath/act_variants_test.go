package vecmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/vecmath/purego"
)

// The formulas the piecewise activations had before they were made
// branch-free: a branch per value, float64 with a true division. The
// dispatched routines must give the same bits (NaN for NaN).

func leakyOld(v, alpha float32) float32 {
	if v < 0 {
		return alpha * v
	}
	return v
}

// hardSigmoidOld rounds the product before the sum, as amd64 always did
// (arm64 fused the two before; the routines now round both on every
// architecture).
func hardSigmoidOld(v float32, alpha, beta float64) float32 {
	y := float64(alpha*float64(v)) + beta
	if y < 0 {
		y = 0
	}
	if y > 1 {
		y = 1
	}
	return float32(y)
}

func hardSwishOld(v float32) float32 {
	f := float64(v)
	y := f/6 + 0.5
	if y < 0 {
		y = 0
	}
	if y > 1 {
		y = 1
	}
	return float32(f * y)
}

// pieceCase is one piecewise activation with fixed parameters: the
// dispatched routine of a row, its twin and the old per-value formula.
type pieceCase struct {
	name string
	get  func(*impl) func(dst, x []float32)
	twin func(dst, x []float32)
	old  func(float32) float32
}

func pieceCases() []pieceCase {
	var cs []pieceCase
	for _, a := range []float32{0.01, 0.2, 0, 1, -0.5, 3} {
		cs = append(cs, pieceCase{fmt.Sprintf("LeakyRelu(%g)", a),
			func(m *impl) func(dst, x []float32) {
				return func(dst, x []float32) { m.leakyRelu(dst, x, a) }
			},
			func(dst, x []float32) { purego.LeakyRelu(dst, x, a) },
			func(v float32) float32 { return leakyOld(v, a) }})
	}
	for _, ab := range [][2]float64{{0.2, 0.5}, {1.0 / 6, 0.5}, {float64(float32(0.3)), -0.25}, {-2, 0.75}, {0.5, math.Copysign(0, -1)}} {
		a, b := ab[0], ab[1]
		cs = append(cs, pieceCase{fmt.Sprintf("HardSigmoid(%g,%g)", a, b),
			func(m *impl) func(dst, x []float32) {
				return func(dst, x []float32) { m.hardSigmoid(dst, x, a, b) }
			},
			func(dst, x []float32) { purego.HardSigmoid(dst, x, a, b) },
			func(v float32) float32 { return hardSigmoidOld(v, a, b) }})
	}
	cs = append(cs, pieceCase{"HardSwish",
		func(m *impl) func(dst, x []float32) { return m.hardSwish },
		purego.HardSwish, hardSwishOld})
	return cs
}

func sameFloat(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b)
}

// TestPiecewiseAgainstTwin runs the piecewise activations of every level
// over sizes 0…70 and large ones with NaN guards and NaN, ±0, ±Inf in the
// input: bit for bit the twin, the twin bit for bit the old formula,
// input unmodified, in place the same as out of place.
func TestPiecewiseAgainstTwin(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	forEachLevel(t, func(t *testing.T, l isa.Level) {
		im := &levels[l]
		for _, c := range pieceCases() {
			fn := c.get(im)
			for _, n := range sizes() {
				xFull, x := guarded(n)
				dFull, d := guarded(n)
				randVals(r, x)
				if n > 0 {
					x[r.IntN(n)] = nan32
				}
				xWas := append([]float32(nil), x...)
				want := make([]float32, n)
				c.twin(want, x)
				fn(d, x)
				what := fmt.Sprintf("%s n=%d", c.name, n)
				checkGuards(t, what+" x", xFull)
				checkGuards(t, what+" dst", dFull)
				if !sameBits(x, xWas) {
					t.Fatalf("%s: input modified", what)
				}
				for i := range d {
					if !sameFloat(d[i], want[i]) {
						t.Fatalf("%s: f(%v) = %v, twin %v", what, x[i], d[i], want[i])
					}
					if o := c.old(x[i]); !sameFloat(want[i], o) {
						t.Fatalf("%s: twin f(%v) = %v, old formula %v", what, x[i], want[i], o)
					}
				}
				fn(x, x)
				checkGuards(t, what+" in place", xFull)
				for i := range x {
					if !sameFloat(x[i], d[i]) {
						t.Fatalf("%s: in place [%d] = %v, out of place %v", what, i, x[i], d[i])
					}
				}
			}
		}
	})
}

// TestPiecewiseSweep checks every level against the old formulas bit for
// bit on the dense sweep of bit patterns (every 997th, both signs, the
// special values). NNCC_EXHAUSTIVE=1 runs all 2^32 inputs instead, for the
// default parameters on the best level (the other levels equal it through
// their twin tests); it takes minutes.
func TestPiecewiseSweep(t *testing.T) {
	stride := uint32(997)
	if testing.Short() {
		stride = 40009
	}
	var xs []float32
	lvls, cases := isa.Supported(), pieceCases()
	if os.Getenv("NNCC_EXHAUSTIVE") != "" {
		stride = 0
		lvls = []isa.Level{isa.Best()}
		var def []pieceCase
		for _, c := range cases {
			switch c.name {
			case "LeakyRelu(0.01)", "HardSigmoid(0.2,0.5)", "HardSwish":
				def = append(def, c)
			}
		}
		cases = def
	} else {
		xs = sweep(stride)
	}
	for _, l := range lvls {
		im := &levels[l]
		for _, c := range cases {
			fn := c.get(im)
			check := func(xs []float32) {
				got := make([]float32, len(xs))
				fn(got, xs)
				for i, v := range xs {
					if o := c.old(v); !sameFloat(got[i], o) {
						t.Fatalf("%v %s(%v) = %v, old formula %v", l, c.name, v, got[i], o)
					}
				}
			}
			if stride != 0 {
				check(xs)
				continue
			}
			buf := make([]float32, 1<<20)
			for hi := uint64(0); hi < 1<<32; hi += 1 << 20 {
				for i := range buf {
					buf[i] = math.Float32frombits(uint32(hi) + uint32(i))
				}
				check(buf)
			}
			t.Logf("%v %s: all 2^32 inputs match", l, c.name)
		}
	}
}
