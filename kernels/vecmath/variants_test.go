package vecmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/vecmath/purego"
)

const guard = 23 // NaN elements on each side of every buffer

var nan32 = float32(math.NaN())

// guarded returns a NaN-filled buffer of n+2·guard elements and its inner
// n elements (capacity n, so appends cannot reach the guard).
func guarded(n int) (full, inner []float32) {
	full = make([]float32, n+2*guard)
	for i := range full {
		full[i] = nan32
	}
	return full, full[guard : guard+n : guard+n]
}

func checkGuards(t *testing.T, what string, full []float32) {
	t.Helper()
	n := len(full) - 2*guard
	for i := range guard {
		if full[i] == full[i] || full[guard+n+i] == full[guard+n+i] {
			t.Fatalf("%s: write outside the buffer", what)
		}
	}
}

func sameBits(a, b []float32) bool {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

// sizes are 0…70 (every tail of every unrolled loop) plus large ones.
func sizes() []int {
	s := make([]int, 0, 80)
	for n := 0; n <= 70; n++ {
		s = append(s, n)
	}
	return append(s, 127, 128, 129, 1000, 4099)
}

// randVals fills s with values spread over the interesting range of the
// functions (mostly [-12, 12], some large, a few special values).
func randVals(r *rand.Rand, s []float32) {
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), 1e-40, -1e-40, 100, -100}
	for i := range s {
		switch r.IntN(20) {
		case 0:
			s[i] = special[r.IntN(len(special))]
		case 1:
			s[i] = float32(r.NormFloat64() * 60)
		default:
			s[i] = float32(r.Float64()*24 - 12)
		}
	}
}

// unaryVariants pairs each dispatched function with its twin and bound.
var unaryVariants = []struct {
	name  string
	get   func(*impl) func(dst, x []float32)
	twin  func(dst, x []float32)
	bound float64
}{
	{"Exp", func(m *impl) func(dst, x []float32) { return m.exp }, purego.Exp, ErrExp},
	{"Tanh", func(m *impl) func(dst, x []float32) { return m.tanh }, purego.Tanh, ErrTanh},
	{"Sigmoid", func(m *impl) func(dst, x []float32) { return m.sigmoid }, purego.Sigmoid, ErrSigmoid},
	{"Erf", func(m *impl) func(dst, x []float32) { return m.erf }, purego.Erf, ErrErf},
	{"GeluErf", func(m *impl) func(dst, x []float32) { return m.geluErf }, purego.GeluErf, ErrGeluErf},
	{"GeluTanh", func(m *impl) func(dst, x []float32) { return m.geluTanh }, purego.GeluTanh, 2 * ErrGeluTanh},
}

// TestUnaryAgainstTwin runs every unary routine of every level over sizes
// 0…70 and large ones with NaN guards, checking that inputs stay
// unmodified, that dst = x works, and that results agree with the twin
// (exactly in class — NaN, ±Inf, zero sign — and within the bound in ulp).
func TestUnaryAgainstTwin(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	forEachLevel(t, func(t *testing.T, l isa.Level) {
		im := &levels[l]
		for _, v := range unaryVariants {
			fn := v.get(im)
			for _, n := range sizes() {
				xFull, x := guarded(n)
				dFull, d := guarded(n)
				want := make([]float32, n)
				randVals(r, x)
				xWas := append([]float32(nil), x...)
				v.twin(want, x)
				fn(d, x)
				what := fmt.Sprintf("%s n=%d", v.name, n)
				checkGuards(t, what+" x", xFull)
				checkGuards(t, what+" dst", dFull)
				if !sameBits(x, xWas) {
					t.Fatalf("%s: input modified", what)
				}
				for i := range d {
					bound := v.bound
					if v.name == "GeluTanh" && !math.IsInf(float64(x[i]), 0) {
						xf := float64(x[i])
						bound += 2 * GeluTanhCond * math.Abs(2*math.Sqrt(2/math.Pi)*(xf+0.044715*xf*xf*xf))
					}
					if e := ulpErr(d[i], float64(want[i])); !(e <= bound) {
						t.Fatalf("%s: [%d] f(%v) = %v, twin %v (%.3g ulp)", what, i, x[i], d[i], want[i], e)
					}
				}
				// In place.
				fn(x, x)
				checkGuards(t, what+" in place", xFull)
				for i := range x {
					if math.Float32bits(x[i]) != math.Float32bits(d[i]) && !(x[i] != x[i] && d[i] != d[i]) {
						t.Fatalf("%s: in place [%d] = %v, out of place %v", what, i, x[i], d[i])
					}
				}
			}
		}
	})
}

// sumBound is the documented error bound of Sum-like reductions.
func sumBound(n int, absSum float64) float64 {
	return (float64(n)/32 + 6) * 0x1p-24 * absSum
}

func TestReductionsAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	forEachLevel(t, func(t *testing.T, l isa.Level) {
		im := &levels[l]
		for _, n := range append(sizes(), 100000) {
			xFull, x := guarded(n)
			for i := range x {
				x[i] = float32(r.NormFloat64()*3 + 1)
			}
			xWas := append([]float32(nil), x...)
			var s, sa, sq, sqa float64
			const c = 0.75
			mx := math.Inf(-1)
			for _, v := range x {
				s += float64(v)
				sa += math.Abs(float64(v))
				d := float64(v - c)
				sq += d * d
				sqa += d * d
				mx = math.Max(mx, float64(v))
			}
			what := fmt.Sprintf("n=%d", n)
			if got := im.sum(x); math.Abs(float64(got)-s) > sumBound(n, sa) {
				t.Fatalf("%s: Sum = %v, want %v", what, got, s)
			}
			if got := im.sumSqDiff(x, c); math.Abs(float64(got)-sq) > sumBound(n, sqa)+2*0x1p-24*sqa {
				t.Fatalf("%s: SumSqDiff = %v, want %v", what, got, sq)
			}
			if got := im.max(x); float64(got) != mx {
				t.Fatalf("%s: Max = %v, want %v", what, got, mx)
			}
			checkGuards(t, what, xFull)
			if !sameBits(x, xWas) {
				t.Fatalf("%s: input modified", what)
			}
			// ExpShiftSum against the twin.
			dFull, d := guarded(n)
			want := make([]float32, n)
			ws := purego.ExpShiftSum(want, x, float32(mx))
			gs := im.expShiftSum(d, x, float32(mx))
			checkGuards(t, what+" ExpShiftSum", dFull)
			for i := range d {
				if e := ulpErr(d[i], float64(want[i])); e > ErrExp {
					t.Fatalf("%s: ExpShiftSum [%d] = %v, twin %v", what, i, d[i], want[i])
				}
			}
			if math.Abs(float64(gs-ws)) > 2*sumBound(n, float64(ws))+float64(n)*ErrExp*0x1p-24*float64(ws) {
				t.Fatalf("%s: ExpShiftSum sum = %v, twin %v", what, gs, ws)
			}
			// NaN anywhere makes Max NaN.
			if n > 0 {
				k := r.IntN(n)
				x[k] = nan32
				if got := im.max(x); got == got {
					t.Fatalf("%s: Max with NaN at %d = %v", what, k, got)
				}
				x[k] = xWas[k]
			}
		}
		if got := im.max(nil); !math.IsInf(float64(got), -1) {
			t.Fatalf("Max(empty) = %v", got)
		}
		if got := im.sum(nil); got != 0 {
			t.Fatalf("Sum(empty) = %v", got)
		}
	})
}

// binVals are operands that exercise every NaN/zero/infinity rule.
func binVals(r *rand.Rand, s []float32) {
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), nan32, 1, -1}
	for i := range s {
		if r.IntN(4) == 0 {
			s[i] = special[r.IntN(len(special))]
		} else {
			s[i] = float32(r.NormFloat64())
		}
	}
}

// TestBinaryAgainstTwin: every op and operand kind, bit for bit (NaN
// matches NaN), with guards and unmodified inputs, out of place and in place.
func TestBinaryAgainstTwin(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	forEachLevel(t, func(t *testing.T, l isa.Level) {
		im := &levels[l]
		for op := range purego.NumOps {
			for kind := range purego.NumKinds {
				for _, n := range sizes() {
					na, nb := n, n
					switch kind {
					case purego.KindVS:
						nb = 1
					case purego.KindSV:
						na = 1
					}
					aFull, a := guarded(na)
					bFull, b := guarded(nb)
					dFull, d := guarded(n)
					binVals(r, a)
					binVals(r, b)
					aWas, bWas := append([]float32(nil), a...), append([]float32(nil), b...)
					want := make([]float32, n)
					purego.Binary(op, kind, want, a, b)
					im.binary(op, kind, d, a, b)
					what := fmt.Sprintf("op=%d kind=%d n=%d", op, kind, n)
					checkGuards(t, what+" a", aFull)
					checkGuards(t, what+" b", bFull)
					checkGuards(t, what+" dst", dFull)
					if !sameBits(a, aWas) || !sameBits(b, bWas) {
						t.Fatalf("%s: input modified", what)
					}
					for i := range d {
						if math.Float32bits(d[i]) != math.Float32bits(want[i]) && !(d[i] != d[i] && want[i] != want[i]) {
							t.Fatalf("%s: [%d] %v op %v = %v, twin %v", what, i, a[min(i, na-1)], b[min(i, nb-1)], d[i], want[i])
						}
					}
					if kind != purego.KindSV {
						im.binary(op, kind, a, a, b) // in place on a
						for i := range a {
							if math.Float32bits(a[i]) != math.Float32bits(d[i]) && !(a[i] != a[i] && d[i] != d[i]) {
								t.Fatalf("%s: in place differs at %d", what, i)
							}
						}
					}
				}
			}
		}
	})
}
