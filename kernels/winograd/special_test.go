package winograd

import (
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/kernels/isa"
)

// TestNaNInf puts one NaN or ±Inf pixel in the second image and checks
// that every output whose 3×3 window holds it (in every output channel)
// is NaN (non-finite for Inf), that outputs of tiles whose input patch
// does not hold it are exact to the error bound, and that the first image
// is untouched by it.
func TestNaNInf(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	for _, m := range []int{2, 4} {
		for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
			for trial := range 20 {
				c := convCase{n: 2, cin: 5, cout: 7, h: 3 + r.Intn(14), w: 3 + r.Intn(14),
					padT: r.Intn(3), padL: r.Intn(3), padB: r.Intn(3), padR: r.Intn(3), m: m, threads: 1 + trial%2}
				x := randSlice(r, c.n*c.cin*c.h*c.w)
				w := randSlice(r, c.cout*c.cin*9)
				py, px, pc := r.Intn(c.h), r.Intn(c.w), r.Intn(c.cin)
				clean := append([]float32(nil), x...)
				x[((c.cin+pc)*c.h+py)*c.w+px] = bad
				got, _ := runCase(t, isa.Current(), c, x, w, nil)
				_, want := runCase(t, isa.Current(), c, clean, w, nil)
				oh, ow := c.h+c.padT+c.padB-2, c.w+c.padL+c.padR-2
				// the pixel in padded coordinates
				ty, tx := py+c.padT, px+c.padL
				for b := range c.n {
					for co := range c.cout {
						for oy := range oh {
							for ox := range ow {
								i := ((b*c.cout+co)*oh+oy)*ow + ox
								v := float64(got[i])
								inWindow := b == 1 && ty >= oy && ty < oy+3 && tx >= ox && tx < ox+3
								// the tile's input patch covers padded rows
								// m·(oy/m) … m·(oy/m)+m+1
								inPatch := b == 1 && ty >= oy/m*m && ty < oy/m*m+m+2 && tx >= ox/m*m && tx < ox/m*m+m+2
								switch {
								case inWindow && math.IsNaN(float64(bad)) && !math.IsNaN(v):
									t.Fatalf("%v: y[%d][%d][%d][%d] = %v, want NaN", c, b, co, oy, ox, v)
								case inWindow && !math.IsNaN(v) && !math.IsInf(v, 0):
									t.Fatalf("%v: y[%d][%d][%d][%d] = %v, want non-finite", c, b, co, oy, ox, v)
								case !inPatch && !(math.Abs(v-want[i]) <= errorBound(m, c.cin)):
									t.Fatalf("%v: y[%d][%d][%d][%d] = %v, want %v", c, b, co, oy, ox, v, want[i])
								}
							}
						}
					}
				}
			}
		}
	}
}

func TestBadArguments(t *testing.T) {
	w := make([]float32, 2*3*9)
	for _, tc := range []struct {
		cout, cin, nw, pad, tile int
	}{
		{0, 3, 0, 0, 4}, {2, 0, 0, 0, 4}, {2, 3, 53, 0, 4}, {2, 3, 54, -1, 4},
		{2, 3, 54, 0, 3}, {2, 3, 54, 0, 6}, {2, 3, 54, 0, -1}, {2, 3, 54, 0, 100},
	} {
		if _, err := NewConv3x3(isa.Generic, tc.cout, tc.cin, w[:min(tc.nw, len(w))], tc.pad, 0, 0, 0, tc.tile); err == nil {
			t.Errorf("NewConv3x3(%+v) succeeded", tc)
		}
	}
	cv, err := NewConv3x3(isa.Current(), 2, 3, w, 1, 1, 1, 1, 4)
	if err != nil {
		t.Fatal(err)
	}
	n, h, wd := 2, 5, 6
	x := make([]float32, n*3*h*wd)
	y := make([]float32, n*2*h*wd)
	s := make([]float32, cv.ScratchLen(n, h, wd, 1))
	if err := cv.Run(x, n, h, wd, y, nil, s, nil); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func() error{
		"short x":       func() error { return cv.Run(x[1:], n, h, wd, y, nil, s, nil) },
		"short y":       func() error { return cv.Run(x, n, h, wd, y[1:], nil, s, nil) },
		"short scratch": func() error { return cv.Run(x, n, h, wd, y, nil, s[1:], nil) },
		"short bias":    func() error { return cv.Run(x, n, h, wd, y, &Epilogue{Bias: []float32{1}}, s, nil) },
		"bad act":       func() error { return cv.Run(x, n, h, wd, y, &Epilogue{Act: 7}, s, nil) },
		"zero h":        func() error { return cv.Run(x, n, 0, wd, y, nil, s, nil) },
		"negative n":    func() error { return cv.Run(x, -1, h, wd, y, nil, s, nil) },
	} {
		if f() == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestSteadyStateAllocs(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	cv, err := NewConv3x3(isa.Current(), 64, 64, randSlice(r, 64*64*9), 1, 1, 1, 1, 4)
	if err != nil {
		t.Fatal(err)
	}
	x := randSlice(r, 64*28*28)
	y := make([]float32, 64*28*28)
	s := make([]float32, cv.ScratchLen(1, 28, 28, 1))
	ep := &Epilogue{Bias: randSlice(r, 64)}
	if a := allocstest.PerRun(20, func() { _ = cv.Run(x, 1, 28, 28, y, ep, s, nil) }); a != 0 {
		t.Errorf("Run allocates %v times per call", a)
	}
}

// TestTransformsExact checks the written-out float32 transforms against
// the matrices on small integers, where float32 arithmetic is exact.
func TestTransformsExact(t *testing.T) {
	r := rand.New(rand.NewSource(6))
	for _, v := range []*variant{&f23, &f43} {
		a, m := v.a, v.m
		// input: one tile, d[i][j] small integers
		d := make([][]float32, a)
		for i := range d {
			d[i] = make([]float32, a)
			for j := range d[i] {
				d[i][j] = float32(r.Intn(11) - 5)
			}
		}
		tb := make([]float32, a*a)
		vb := make([]float32, a*a)
		switch m {
		case 4:
			inRows43(tb, a, d[0], d[1], d[2], d[3], d[4], d[5], a)
			inTiles43(vb, 1, tb, a, 1)
		case 2:
			inRows23(tb, a, d[0], d[1], d[2], d[3], a)
			inTiles23(vb, 1, tb, a, 1)
		}
		for k := range a {
			for l := range a {
				s := 0.0
				for i := range a {
					for j := range a {
						s += v.bt[k][i] * float64(d[i][j]) * v.bt[l][j]
					}
				}
				if float64(vb[k*a+l]) != s {
					t.Fatalf("F(%d,3) input (%d,%d) = %v, want %v", m, k, l, vb[k*a+l], s)
				}
			}
		}
		// output: 16 lanes of M
		src := make([]float32, a*a*16)
		for i := range src {
			src[i] = float32(r.Intn(11) - 5)
		}
		var o [256]float32
		var tmp [384]float32
		switch m {
		case 4:
			outTile43(&o, &tmp, src, 16, 16)
		case 2:
			outTile23(&o, &tmp, src, 16, 16)
		}
		for lane := range 16 {
			for p := range m {
				for q := range m {
					s := 0.0
					for k := range a {
						for l := range a {
							s += v.at[p][k] * float64(src[(k*a+l)*16+lane]) * v.at[q][l]
						}
					}
					if float64(o[(p*m+q)*16+lane]) != s {
						t.Fatalf("F(%d,3) output lane %d (%d,%d) = %v, want %v", m, lane, p, q, o[(p*m+q)*16+lane], s)
					}
				}
			}
		}
	}
}

func TestPick(t *testing.T) {
	for _, c := range []struct{ cin, cout, oh, ow, want int }{
		{64, 64, 56, 56, 4}, {128, 128, 28, 28, 4}, {256, 256, 14, 14, 4}, {64, 128, 8, 8, 4},
		{512, 512, 7, 7, 2}, {256, 256, 7, 7, 2}, {3, 32, 32, 32, 0}, {64, 64, 7, 7, 0}, {64, 64, 5, 5, 0}, {512, 512, 4, 4, 0},
	} {
		if got := Pick(c.cin, c.cout, c.oh, c.ow); got != c.want {
			t.Errorf("Pick(%d, %d, %d, %d) = %d, want %d", c.cin, c.cout, c.oh, c.ow, got, c.want)
		}
	}
}

// TestThreadsDeterministic checks that the result does not depend on the
// number of threads (blocks split among threads, or stages split) or on
// the block size: every output is computed by the same operations.
func TestThreadsDeterministic(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for _, m := range []int{2, 4} {
		for _, sz := range [][4]int{{1, 64, 56, 56}, {1, 128, 14, 14}, {3, 40, 17, 23}, {2, 300, 7, 7}} {
			n, ch, h, w := sz[0], sz[1], sz[2], sz[3]
			cv, err := NewConv3x3(isa.Current(), ch, ch, randSlice(r, ch*ch*9), 1, 1, 1, 1, m)
			if err != nil {
				t.Fatal(err)
			}
			x := randSlice(r, n*ch*h*w)
			ep := &Epilogue{Bias: randSlice(r, ch), Act: 1}
			var ref []float32
			for threads := 1; threads <= 4; threads++ {
				y := make([]float32, n*ch*h*w)
				var pool testPool = testPool(threads)
				if err := cv.Run(x, n, h, w, y, ep, make([]float32, cv.ScratchLen(n, h, w, threads)), pool); err != nil {
					t.Fatal(err)
				}
				if ref == nil {
					ref = y
					continue
				}
				for i := range y {
					if math.Float32bits(y[i]) != math.Float32bits(ref[i]) {
						t.Fatalf("F%d %v threads=%d: y[%d] = %v, 1 thread gives %v", m, sz, threads, i, y[i], ref[i])
					}
				}
			}
		}
	}
}
