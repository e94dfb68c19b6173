package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestAttnSoftmaxAgainstTwin checks AttnSoftmaxAVX512 against its twin
// for every row length 0..300 and some long ones, through the one-call
// row kernels' harness (in place and out of place, NaN guards, -Inf
// entries, rows holding NaN, +Inf or only -Inf).
func TestAttnSoftmaxAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	asm := func(dst, x []float32) { AttnSoftmaxAVX512(dst, x, nil) }
	twin := func(dst, x []float32) { AttnSoftmaxGo(dst, x, nil) }
	testSoftmaxRow(t, asm, twin, 0, 300)
	for _, n := range []int{1000, 4099} {
		testSoftmaxRow(t, asm, twin, n, n)
	}
}

// TestAttnSoftmaxAddAgainstTwin checks AttnSoftmaxAVX512 with an added
// row against its twin for every row length 0..300 and some long ones,
// in place and out of place, with NaN guards around all three operands,
// adds holding -1e4 and -Inf (masks), and rows or adds holding NaN or
// +Inf; add must be left unmodified.
func TestAttnSoftmaxAddAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(11, 12))
	ns := make([]int, 0, 304)
	for n := 0; n <= 300; n++ {
		ns = append(ns, n)
	}
	ns = append(ns, 1000, 4099)
	for _, n := range ns {
		for trial := range 6 {
			xFull, x := guarded(n)
			aFull, a := guarded(n)
			for i := range x {
				x[i] = float32(r.NormFloat64() * 4)
				a[i] = 0
				switch r.IntN(4) {
				case 0:
					a[i] = -1e4
				case 1:
					a[i] = float32(r.NormFloat64())
				}
				if trial == 1 && r.IntN(3) == 0 {
					a[i] = float32(math.Inf(-1))
				}
			}
			if n > 0 {
				switch trial {
				case 2:
					a[r.IntN(n)] = float32(math.NaN())
				case 3:
					x[r.IntN(n)] = float32(math.Inf(1))
				case 4:
					for i := range a {
						a[i] = float32(math.Inf(-1))
					}
				}
			}
			xWas := append([]float32(nil), x...)
			aWas := append([]float32(nil), a...)
			want := make([]float32, n)
			AttnSoftmaxGo(want, x, a)
			what := fmt.Sprintf("n=%d trial=%d", n, trial)
			check := func(what string, got []float32) {
				for i := range got {
					g, w := float64(got[i]), float64(want[i])
					if math.IsNaN(g) != math.IsNaN(w) || math.Abs(g-w) > 1e-6*math.Abs(w)+1e-30 {
						t.Fatalf("%s: dst[%d] = %v, twin %v", what, i, g, w)
					}
				}
			}
			dFull, d := guarded(n)
			AttnSoftmaxAVX512(d, x, a)
			checkGuards(t, what+" x", xFull, n)
			checkGuards(t, what+" add", aFull, n)
			checkGuards(t, what+" dst", dFull, n)
			for i := range x {
				if math.Float32bits(x[i]) != math.Float32bits(xWas[i]) || math.Float32bits(a[i]) != math.Float32bits(aWas[i]) {
					t.Fatalf("%s: x or add modified", what)
				}
			}
			check(what, d)
			AttnSoftmaxAVX512(x, x, a)
			checkGuards(t, what+" in place", xFull, n)
			check(what+" in place", x)
		}
	}
}

// TestAttnSoftmaxUnderflow checks the lanes whose exp underflows: scores
// masked with -1e4 and -Inf, and scores from 80 to 110 below the row's
// maximum (across ExpLo and the normal range's end), give exactly 0 where
// the twin's exp is 0 (x - max ≤ ExpLo) and elsewhere the twin's value
// within the harness's tolerance (absolute below the normal range, where
// the two sum orders round differently).
func TestAttnSoftmaxUnderflow(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(9, 10))
	for n := 1; n <= 140; n++ {
		for trial := range 4 {
			x := make([]float32, n)
			for i := range x {
				switch r.IntN(3) {
				case 0:
					x[i] = float32(r.NormFloat64())
				case 1:
					x[i] = -80 - 30*r.Float32()
				default:
					x[i] = []float32{-1e4, float32(math.Inf(-1)), -104, -103.97208, -87.33655}[r.IntN(5)]
				}
			}
			top := r.IntN(n)
			x[top] = float32(trial) // the maximum
			want := make([]float32, n)
			AttnSoftmaxGo(want, x, nil)
			got := make([]float32, n)
			AttnSoftmaxAVX512(got, x, nil)
			for i := range got {
				g, w := float64(got[i]), float64(want[i])
				if x[i]-x[top] <= -104 && g != 0 || math.Abs(g-w) > 1e-6*math.Abs(w)+1e-38 {
					t.Fatalf("n=%d trial=%d: dst[%d] = %g for x %g, twin %g", n, trial, i, g, x[i], w)
				}
			}
		}
	}
}

// BenchmarkAttnSoftmax times rows of attention scores, plain and with a
// third of the keys masked by -1e4.
func BenchmarkAttnSoftmax(b *testing.B) {
	if !hasAVX512() {
		b.Skip("no AVX-512")
	}
	for _, n := range []int{16, 33, 64, 70, 128, 256} {
		for _, masked := range []bool{false, true} {
			x := make([]float32, n)
			y := make([]float32, n)
			r := rand.New(rand.NewPCG(1, 2))
			for i := range x {
				x[i] = float32(r.NormFloat64())
				if masked && r.IntN(3) == 0 {
					x[i] = -1e4
				}
			}
			kernels := []struct {
				name string
				f    func(dst, x []float32)
			}{{"attn", func(dst, x []float32) { AttnSoftmaxAVX512(dst, x, nil) }}}
			for _, k := range kernels {
				b.Run(fmt.Sprintf("%s/n=%d/masked=%v", k.name, n, masked), func(b *testing.B) {
					for b.Loop() {
						k.f(y, x)
					}
				})
			}
		}
	}
}

// TestAttnSoftmaxRowsAgainstTwin checks AttnSoftmaxRowsAVX512 against its
// twin on strips of 0 to 7 rows, row lengths 0..40 and some longer ones,
// rows apart by more than their length (the gaps, like the guard regions
// around each operand, hold NaN that must be neither read into a result
// nor overwritten), with no add, an add per row and one add row for all
// (ldadd 0), out of place and in place; x and add must be left unmodified.
func TestAttnSoftmaxRowsAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(13, 14))
	ns := make([]int, 0, 50)
	for n := 0; n <= 40; n++ {
		ns = append(ns, n)
	}
	ns = append(ns, 64, 70, 127, 128, 130, 300)
	nan := float32(math.NaN())
	for _, n := range ns {
		for rows := 0; rows <= 7; rows++ {
			for addKind := range 3 {
				ld := n + r.IntN(5)
				size := 0
				if rows > 0 {
					size = (rows-1)*ld + n
				}
				fill := func(s []float32, ld int, f func() float32) {
					for i := range s {
						s[i] = nan
					}
					for row := range rows {
						for j := range n {
							if row*ld+j < len(s) {
								s[row*ld+j] = f()
							}
						}
					}
				}
				xFull, x := guarded(size)
				fill(x, ld, func() float32 { return float32(r.NormFloat64() * 3) })
				var add []float32
				var aFull []float32
				ldadd := 0
				switch addKind {
				case 1:
					ldadd = n + r.IntN(3)
					asize := 0
					if rows > 0 {
						asize = (rows-1)*ldadd + n
					}
					aFull, add = guarded(asize)
					fill(add, ldadd, func() float32 { return []float32{0, 0, -1e4, float32(r.NormFloat64())}[r.IntN(4)] })
				case 2:
					aFull, add = guarded(n)
					for i := range add {
						add[i] = []float32{0, -1e4, float32(math.Inf(-1))}[r.IntN(3)]
					}
				}
				if len(add) == 0 {
					add = nil
				}
				xWas := append([]float32(nil), x...)
				aWas := append([]float32(nil), add...)
				want := make([]float32, size)
				copy(want, x)
				AttnSoftmaxRowsGo(want, ld, x, ld, add, ldadd, n, rows)
				what := fmt.Sprintf("n=%d rows=%d ld=%d add=%d", n, rows, ld, addKind)
				check := func(what string, got []float32) {
					for i := range got {
						g, w := float64(got[i]), float64(want[i])
						inRow := i%ld < n
						if !inRow {
							if !math.IsNaN(g) {
								t.Fatalf("%s: gap %d written", what, i)
							}
							continue
						}
						if math.IsNaN(g) != math.IsNaN(w) || math.Abs(g-w) > 1e-6*math.Abs(w)+1e-30 {
							t.Fatalf("%s: dst[%d] = %v, twin %v", what, i, g, w)
						}
					}
				}
				dFull, d := guarded(size)
				for i := range d {
					d[i] = nan
				}
				AttnSoftmaxRowsAVX512(d, ld, x, ld, add, ldadd, n, rows)
				checkGuards(t, what+" dst", dFull, size)
				checkGuards(t, what+" x", xFull, size)
				if aFull != nil {
					checkGuards(t, what+" add", aFull, len(aFull)-2*guard)
				}
				for i := range x {
					if math.Float32bits(x[i]) != math.Float32bits(xWas[i]) {
						t.Fatalf("%s: x modified", what)
					}
				}
				for i := range add {
					if math.Float32bits(add[i]) != math.Float32bits(aWas[i]) {
						t.Fatalf("%s: add modified", what)
					}
				}
				check(what, d)
				AttnSoftmaxRowsAVX512(x, ld, x, ld, add, ldadd, n, rows)
				checkGuards(t, what+" in place", xFull, size)
				check(what+" in place", x)
			}
		}
	}
}
