package winograd

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// convCase is one random convolution problem.
type convCase struct {
	n, cin, cout, h, w        int
	padT, padL, padB, padR, m int
	threads                   int
	bias                      bool
	relu                      bool
}

func (c convCase) String() string {
	return fmt.Sprintf("F%d/n%d/c%d→%d/%dx%d/pad%d,%d,%d,%d/t%d", c.m, c.n, c.cin, c.cout, c.h, c.w, c.padT, c.padL, c.padB, c.padR, c.threads)
}

// runCase runs c at level l and returns the output, the float64 reference
// (bias and ReLU applied) and the output plane size. Scratch is NaN
// before the run, y is NaN with a NaN guard after it, and x is checked
// to be unmodified.
func runCase(t *testing.T, l isa.Level, c convCase, x, w, bias []float32) ([]float32, []float64) {
	t.Helper()
	want := reference(c, x, w, bias)
	return runAgainst(t, l, c, x, w, bias, want), want
}

// reference is the float64 direct convolution of c with bias and ReLU.
func reference(c convCase, x, w, bias []float32) []float64 {
	want, oh, ow := direct64(x, w, c.n, c.cin, c.h, c.w, c.cout, c.padT, c.padL, c.padB, c.padR)
	for i := range want {
		if bias != nil {
			want[i] += float64(bias[i/(oh*ow)%c.cout])
		}
		if c.relu && want[i] < 0 {
			want[i] = 0
		}
	}
	return want
}

// runAgainst runs c at level l (see runCase) given the reference.
func runAgainst(t *testing.T, l isa.Level, c convCase, x, w, bias []float32, want []float64) []float32 {
	t.Helper()
	cv, err := NewConv3x3(l, c.cout, c.cin, w, c.padT, c.padL, c.padB, c.padR, c.m)
	if err != nil {
		t.Fatal(err)
	}
	oh, ow := max(c.h+c.padT+c.padB-2, 0), max(c.w+c.padL+c.padR-2, 0)
	if gh, gw := cv.OutShape(c.h, c.w); gh != oh || gw != ow {
		t.Fatalf("%v: OutShape = %d,%d want %d,%d", c, gh, gw, oh, ow)
	}
	const guard = 17
	y := nanSlice(len(want) + guard)
	scratch := nanSlice(cv.ScratchLen(c.n, c.h, c.w, c.threads))
	xc := append([]float32(nil), x...)
	var pool sgemm.Pool
	if c.threads > 1 {
		pool = testPool(c.threads)
	}
	ep := &Epilogue{Bias: bias}
	if c.relu {
		ep.Act = sgemm.ActReLU
	}
	if err := cv.Run(x, c.n, c.h, c.w, y[:len(want)], ep, scratch, pool); err != nil {
		t.Fatalf("%v: %v", c, err)
	}
	for i := range x {
		if math.Float32bits(x[i]) != math.Float32bits(xc[i]) {
			t.Fatalf("%v: x[%d] modified", c, i)
		}
	}
	for i := len(want); i < len(y); i++ {
		if !math.IsNaN(float64(y[i])) {
			t.Fatalf("%v: guard y[%d] written", c, i)
		}
	}
	return y[:len(want)]
}

// maxErr returns the largest |got-want| (Inf when got is NaN).
func maxErr(got []float32, want []float64) float64 {
	e := 0.0
	for i := range want {
		d := math.Abs(float64(got[i]) - want[i])
		if math.IsNaN(d) {
			return math.Inf(1)
		}
		e = max(e, d)
	}
	return e
}

func TestMatchesDirect(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	count := 200
	if testing.Short() {
		count = 50
	}
	for i := range count {
		c := convCase{
			n: 1 + r.Intn(3), cin: 1 + r.Intn(70), cout: 1 + r.Intn(70),
			h: 1 + r.Intn(40), w: 1 + r.Intn(40),
			padT: r.Intn(3), padL: r.Intn(3), padB: r.Intn(3), padR: r.Intn(3),
			m: []int{2, 4}[i%2], threads: 1 + r.Intn(3), bias: r.Intn(2) == 0, relu: r.Intn(3) == 0,
		}
		if i%5 == 0 { // small channel counts, bigger planes
			c.cin, c.cout = 1+r.Intn(4), 1+r.Intn(4)
		}
		x := randSlice(r, c.n*c.cin*c.h*c.w)
		w := randSlice(r, c.cout*c.cin*9)
		var bias []float32
		if c.bias {
			bias = randSlice(r, c.cout)
		}
		want := reference(c, x, w, bias)
		for _, l := range isa.Supported() {
			got := runAgainst(t, l, c, x, w, bias, want)
			if e, tol := maxErr(got, want), errorBound(c.m, c.cin); e > tol {
				t.Fatalf("%v/%v: max error %g > bound %g", l, c, e, tol)
			}
		}
	}
}

// TestEdges covers planes smaller than a tile, outputs of one pixel, no
// output at all, and large pads.
func TestEdges(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for _, m := range []int{2, 4} {
		for _, sz := range [][6]int{
			{1, 1, 1, 1, 1, 1}, {1, 1, 0, 0, 0, 0}, {3, 3, 0, 0, 0, 0}, {2, 2, 0, 0, 0, 0},
			{1, 7, 1, 0, 1, 0}, {5, 1, 0, 1, 0, 1}, {4, 4, 2, 2, 2, 2}, {9, 10, 0, 2, 1, 0},
			{2, 3, 3, 5, 4, 0},
		} {
			for _, threads := range []int{1, 2, 3} {
				c := convCase{n: 2, cin: 3, cout: 17, h: sz[0], w: sz[1], padT: sz[2], padL: sz[3], padB: sz[4], padR: sz[5], m: m, threads: threads}
				x := randSlice(r, c.n*c.cin*c.h*c.w)
				w := randSlice(r, c.cout*c.cin*9)
				got, want := runCase(t, isa.Current(), c, x, w, nil)
				if e := maxErr(got, want); e > errorBound(m, c.cin) {
					t.Fatalf("%v: max error %g", c, e)
				}
			}
		}
	}
}
