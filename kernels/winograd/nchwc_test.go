package winograd

import (
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// toNCHWc blocks x [n][c][h][w] into [n][⌈c/16⌉][h][w][16], filling the
// padding channels with fill (finite: the layout only promises that).
func toNCHWc(x []float32, n, c, h, w int, fill float32) []float32 {
	cb := (c + 15) / 16
	out := make([]float32, n*cb*h*w*16)
	for b := range n {
		for ch := range cb * 16 {
			for p := range h * w {
				v := fill
				if ch < c {
					v = x[(b*c+ch)*h*w+p]
				}
				out[((b*cb+ch/16)*h*w+p)*16+ch%16] = v
			}
		}
	}
	return out
}

// runNCHWcCase runs c through ConvNCHWc at level l and returns the output
// converted back to NCHW (padding channels dropped, after checking that
// they hold bias + residual, which the caller clears) and the float64
// reference with bias, residual and ReLU. Scratch is NaN before the run,
// y NaN with a guard after it; x, bias and r are checked unmodified.
func runNCHWcCase(t *testing.T, l isa.Level, c convCase, withRes bool, r *rand.Rand) ([]float32, []float64) {
	t.Helper()
	x := randSlice(r, c.n*c.cin*c.h*c.w)
	w := randSlice(r, c.cout*c.cin*9)
	want, oh, ow := direct64(x, w, c.n, c.cin, c.h, c.w, c.cout, c.padT, c.padL, c.padB, c.padR)
	cop := (c.cout + 15) &^ 15
	var bias []float32
	if c.bias {
		bias = randSlice(r, cop)
	}
	ny := c.n * cop * oh * ow
	var res []float32
	if withRes {
		res = randSlice(r, ny)
	}
	for i := range want { // i over [n][cout][oh][ow]
		b, co, pix := i/(c.cout*oh*ow), i/(oh*ow)%c.cout, i%(oh*ow)
		if bias != nil {
			want[i] += float64(bias[co])
		}
		if res != nil {
			want[i] += float64(res[((b*cop/16+co/16)*oh*ow+pix)*16+co%16])
		}
		if c.relu && want[i] < 0 {
			want[i] = 0
		}
	}
	cv, err := NewConvNCHWc(l, c.cout, c.cin, w, c.padT, c.padL, c.padB, c.padR, nil)
	if err != nil {
		t.Fatal(err)
	}
	xb := toNCHWc(x, c.n, c.cin, c.h, c.w, 1e3)
	xc := append([]float32(nil), xb...)
	var rc, bc []float32
	if res != nil {
		rc = append(rc, res...)
	}
	if bias != nil {
		bc = append(bc, bias...)
	}
	const guard = 17
	y := nanSlice(ny + guard)
	scratch := nanSlice(cv.ScratchLen(c.n, c.h, c.w, c.threads))
	var pool sgemm.Pool
	if c.threads > 1 {
		pool = testPool(c.threads)
	}
	if err := cv.Run(xb, c.n, c.h, c.w, y[:ny], bias, res, c.relu, scratch, pool); err != nil {
		t.Fatalf("%v: %v", c, err)
	}
	for _, pair := range [][2][]float32{{xb, xc}, {res, rc}, {bias, bc}} {
		for i := range pair[0] {
			if math.Float32bits(pair[0][i]) != math.Float32bits(pair[1][i]) {
				t.Fatalf("%v: an input was modified at %d", c, i)
			}
		}
	}
	for i := ny; i < len(y); i++ {
		if !math.IsNaN(float64(y[i])) {
			t.Fatalf("%v: wrote past the output", c)
		}
	}
	got := make([]float32, c.n*c.cout*oh*ow)
	for b := range c.n {
		for co := range cop {
			for pix := range oh * ow {
				v := y[((b*cop/16+co/16)*oh*ow+pix)*16+co%16]
				if co < c.cout {
					got[(b*c.cout+co)*oh*ow+pix] = v
					continue
				}
				// Padding output channel: zero weights, so bias + r.
				e := float32(0)
				if bias != nil {
					e = bias[co]
				}
				if res != nil {
					e += res[((b*cop/16+co/16)*oh*ow+pix)*16+co%16]
				}
				if c.relu && e < 0 {
					e = 0
				}
				if math.Abs(float64(v-e)) > 1e-5 {
					t.Fatalf("%v: padding channel %d = %v, want %v", c, co, v, e)
				}
			}
		}
	}
	return got, want
}

// TestNCHWcAgainstDirect checks ConvNCHWc against the float64 direct
// convolution on shapes that exercise every path: edge and interior
// tiles, planes smaller than a tile, channel counts that are not whole
// blocks (with non-zero padding input channels), several images, block
// and stage threading, bias, residual and ReLU, at every level the CPU
// has.
func TestNCHWcAgainstDirect(t *testing.T) {
	r := rand.New(rand.NewSource(41))
	cases := []convCase{
		{n: 1, cin: 16, cout: 16, h: 8, w: 8, padT: 1, padL: 1, padB: 1, padR: 1},
		{n: 1, cin: 16, cout: 32, h: 3, w: 3, padT: 1, padL: 1, padB: 1, padR: 1},
		{n: 2, cin: 20, cout: 7, h: 11, w: 13, padT: 1, padL: 1, padB: 1, padR: 1},
		{n: 1, cin: 5, cout: 33, h: 17, w: 9, padT: 0, padL: 2, padB: 1, padR: 0},
		{n: 1, cin: 64, cout: 64, h: 30, w: 30, padT: 1, padL: 1, padB: 1, padR: 1},
		{n: 3, cin: 32, cout: 48, h: 14, w: 14, padT: 1, padL: 1, padB: 1, padR: 1},
		{n: 1, cin: 48, cout: 16, h: 7, w: 7, padT: 1, padL: 1, padB: 1, padR: 1},
		{n: 1, cin: 16, cout: 16, h: 2, w: 40, padT: 0, padL: 0, padB: 0, padR: 0},
	}
	levels := []isa.Level{isa.Generic, isa.AVX2, isa.AVX512}
	for _, l := range levels {
		if !isa.Has(l) {
			continue
		}
		threadCounts, variants := []int{1, 2, 3}, []int{0, 1, 2, 3}
		if testing.Short() {
			threadCounts, variants = []int{1, 3}, []int{0, 3}
		}
		for _, base := range cases {
			for _, threads := range threadCounts {
				for _, v := range variants {
					c := base
					c.m, c.threads = 4, threads
					c.bias, c.relu = v&1 != 0, v&2 != 0
					got, want := runNCHWcCase(t, l, c, v == 3 || v == 0, r)
					if e, b := maxErr(got, want), errorBound(4, c.cin)*4; e > b {
						t.Errorf("%v level %v: max error %g > %g", c, l, e, b)
					}
				}
			}
		}
	}
}

// TestErrorBoundNCHWc is TestErrorBound for the NCHWc16 path: for x, w
// uniform in [-1, 1] the largest error against the float64 direct
// convolution stays within errorBound (doc.go) up to 512 input channels.
func TestErrorBoundNCHWc(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	cins := []int{1, 16, 64, 256, 512}
	if testing.Short() {
		cins = cins[:3]
	}
	for _, cin := range cins {
		c := convCase{n: 1, cin: cin, cout: 32, h: 20, w: 21, padT: 1, padL: 1, padB: 1, padR: 1, m: 4, threads: 1}
		worst := 0.0
		for range 3 {
			got, want := runNCHWcCase(t, isa.Current(), c, false, r)
			worst = max(worst, maxErr(got, want))
		}
		bound := errorBound(4, cin)
		t.Logf("NCHWc F(4,3) cin=%3d: max error %.2e = %5.1f·cin·u, bound %.2e (%.1f×)", cin, worst, worst/float64(cin)/unitRoundoff, bound, bound/worst)
		if worst > bound {
			t.Errorf("NCHWc F(4,3) cin=%d: max error %g > bound %g", cin, worst, bound)
		}
	}
}

// TestNCHWcThreadsAgree checks that the result does not depend on the
// number of threads (every output is computed by the same operations).
func TestNCHWcThreadsAgree(t *testing.T) {
	for _, c := range []convCase{
		{n: 1, cin: 16, cout: 32, h: 56, w: 56, padT: 1, padL: 1, padB: 1, padR: 1, m: 4, relu: true},
		{n: 1, cin: 64, cout: 64, h: 28, w: 28, padT: 1, padL: 1, padB: 1, padR: 1, m: 4, bias: true, relu: true},
		{n: 1, cin: 128, cout: 128, h: 14, w: 14, padT: 1, padL: 1, padB: 1, padR: 1, m: 4, bias: true},
	} {
		var first []float32
		for _, threads := range []int{1, 2, 3, 4} {
			c.threads = threads
			got, _ := runNCHWcCase(t, isa.Current(), c, true, rand.New(rand.NewSource(17)))
			if first == nil {
				first = got
				continue
			}
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(first[i]) {
					t.Fatalf("%v: threads=%d differs at %d: %v vs %v", c, threads, i, got[i], first[i])
				}
			}
		}
	}
}
