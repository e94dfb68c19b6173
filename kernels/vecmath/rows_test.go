package vecmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/kernels/isa"
)

func TestSoftmaxAndLogSoftmax(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	forEachLevel(t, func(t *testing.T, l isa.Level) {
		for _, n := range append(sizes(), 30000) {
			xFull, x := guarded(n)
			for i := range x {
				x[i] = float32(r.NormFloat64() * 5)
			}
			xWas := append([]float32(nil), x...)
			// float64 reference.
			m := math.Inf(-1)
			for _, v := range x {
				m = math.Max(m, float64(v))
			}
			var s float64
			for _, v := range x {
				s += math.Exp(float64(v) - m)
			}
			dFull, d := guarded(n)
			Softmax(d, x)
			checkGuards(t, "Softmax", dFull)
			checkGuards(t, "Softmax x", xFull)
			if !sameBits(x, xWas) {
				t.Fatal("Softmax modified x")
			}
			rel := (ErrExp+2)*0x1p-24 + 2*sumBound(n, 1)
			for i, v := range x {
				want := math.Exp(float64(v)-m) / s
				// fl(x-m) is off by up to |x-m|·2^-24, which exp turns
				// into that relative error.
				if math.Abs(float64(d[i])-want) > (rel+math.Abs(float64(v)-m)*0x1p-24)*want+0x1p-149 {
					t.Fatalf("Softmax n=%d [%d] = %v, want %v", n, i, d[i], want)
				}
			}
			LogSoftmax(d, x)
			ls := m + math.Log(s)
			for i, v := range x {
				want := float64(v) - ls
				if math.Abs(float64(d[i])-want) > 0x1p-23*(math.Abs(m)+math.Abs(math.Log(s))+math.Abs(float64(v)))+2*sumBound(n, 1) {
					t.Fatalf("LogSoftmax n=%d [%d] = %v, want %v", n, i, d[i], want)
				}
			}
			// In place.
			y := append([]float32(nil), x...)
			Softmax(y, y)
			Softmax(d, x)
			if !sameBits(y, d) {
				t.Fatalf("Softmax in place differs (n=%d)", n)
			}
			copy(y, x)
			LogSoftmax(y, y)
			LogSoftmax(d, x)
			if !sameBits(y, d) {
				t.Fatalf("LogSoftmax in place differs (n=%d)", n)
			}
		}
		// NaN spreads; a row of -Inf is NaN.
		d := make([]float32, 3)
		Softmax(d, []float32{1, nan32, 2})
		for _, v := range d {
			if v == v {
				t.Fatalf("Softmax with NaN = %v", d)
			}
		}
	})
}

func TestLayerNorm(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	forEachLevel(t, func(t *testing.T, l isa.Level) {
		for _, n := range append(sizes()[1:], 768, 4096) {
			x := make([]float32, n)
			scale := make([]float32, n)
			bias := make([]float32, n)
			off := r.NormFloat64() * 1000 // a large mean: two-pass variance must cope
			for i := range x {
				x[i] = float32(off + r.NormFloat64())
				scale[i] = float32(r.NormFloat64())
				bias[i] = float32(r.NormFloat64())
			}
			var mu, v float64
			for _, e := range x {
				mu += float64(e)
			}
			mu /= float64(n)
			for _, e := range x {
				v += (float64(e) - mu) * (float64(e) - mu)
			}
			v /= float64(n)
			const eps = 1e-5
			rstd := 1 / math.Sqrt(v+eps)
			d := make([]float32, n)
			gm, gr := LayerNorm(d, x, scale, bias, eps)
			if math.Abs(float64(gm)-mu) > sumBound(n, math.Abs(mu)*float64(n))/float64(n)+1e-6 {
				t.Fatalf("n=%d mean %v, want %v", n, gm, mu)
			}
			// The input itself is only known to ~|off|·2^-24, which bounds
			// how well any float32 LayerNorm can do: judge relative to that.
			tol := 1e-3 + 4*math.Abs(off)*0x1p-24*rstd
			if math.Abs(float64(gr)-rstd) > tol*rstd {
				t.Fatalf("n=%d invstd %v, want %v", n, gr, rstd)
			}
			for i, e := range x {
				want := (float64(e)-mu)*rstd*float64(scale[i]) + float64(bias[i])
				if math.Abs(float64(d[i])-want) > tol*(math.Abs(want)+math.Abs(float64(scale[i]))+1) {
					t.Fatalf("n=%d [%d] = %v, want %v", n, i, d[i], want)
				}
			}
		}
	})
}

func TestBroadcastForms(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	forEachLevel(t, func(t *testing.T, l isa.Level) {
		for _, op := range []Op{Add, Sub, Mul, Div, MaxOp, MinOp} {
			const rows, n = 5, 37
			a := make([]float32, rows*n)
			row := make([]float32, n)
			col := make([]float32, rows)
			binVals(r, a)
			binVals(r, row)
			binVals(r, col)
			d := make([]float32, rows*n)
			check := func(what string, want func(i, j int) float32) {
				t.Helper()
				for i := range rows {
					for j := range n {
						w, g := want(i, j), d[i*n+j]
						if math.Float32bits(w) != math.Float32bits(g) && !(w != w && g != g) {
							t.Fatalf("%s op %d [%d,%d] = %v, want %v", what, op, i, j, g, w)
						}
					}
				}
			}
			f := func(x, y float32) float32 { return binaryRef(op, x, y) }
			BinaryRow(op, d, a, row)
			check("BinaryRow", func(i, j int) float32 { return f(a[i*n+j], row[j]) })
			RowBinary(op, d, row, a)
			check("RowBinary", func(i, j int) float32 { return f(row[j], a[i*n+j]) })
			BinaryCol(op, d, a, col, n)
			check("BinaryCol", func(i, j int) float32 { return f(a[i*n+j], col[i]) })
			ColBinary(op, d, col, a, n)
			check("ColBinary", func(i, j int) float32 { return f(col[i], a[i*n+j]) })
			BinaryScalar(op, d, a, 0.5)
			check("BinaryScalar", func(i, j int) float32 { return f(a[i*n+j], 0.5) })
			ScalarBinary(op, d, -2, a)
			check("ScalarBinary", func(i, j int) float32 { return f(-2, a[i*n+j]) })
			b := append([]float32(nil), a...)
			for i := range b {
				b[i] = b[len(b)-1-i]
			}
			Binary(op, d, a, b)
			check("Binary", func(i, j int) float32 { return f(a[i*n+j], b[i*n+j]) })
		}
	})
}

// binaryRef is the spec of the ops written out once more.
func binaryRef(op Op, a, b float32) float32 {
	switch op {
	case Add:
		return a + b
	case Sub:
		return a - b
	case Mul:
		return a * b
	case Div:
		return a / b
	case MaxOp:
		if a != a || b != b {
			if a != a {
				return a
			}
			return b
		}
		if a > b { // ties (±0) give b, as documented
			return a
		}
		return b
	case MinOp:
		if a != a || b != b {
			if a != a {
				return a
			}
			return b
		}
		if a < b {
			return a
		}
		return b
	}
	panic("op")
}

func TestActivationsInPlace(t *testing.T) {
	forEachLevel(t, func(t *testing.T, l isa.Level) {
		in := []float32{-2, -0.5, 0, 1, 3, nan32, float32(math.Inf(-1)), float32(math.Inf(1))}
		x := append([]float32(nil), in...)
		Relu(x)
		wantR := []float32{0, 0, 0, 1, 3, nan32, 0, float32(math.Inf(1))}
		x2 := append([]float32(nil), in...)
		Clip(x2, -1, 2)
		wantC := []float32{-1, -0.5, 0, 1, 2, nan32, -1, 2}
		x3 := append([]float32(nil), in...)
		LeakyRelu(x3, 0.1)
		wantL := []float32{-0.2, -0.05, 0, 1, 3, nan32, float32(math.Inf(-1)), float32(math.Inf(1))}
		for i := range in {
			for _, c := range []struct {
				name      string
				got, want float32
			}{{"Relu", x[i], wantR[i]}, {"Clip", x2[i], wantC[i]}, {"LeakyRelu", x3[i], wantL[i]}} {
				if c.got != c.want && !(c.got != c.got && c.want != c.want) {
					t.Errorf("%s(%v) = %v, want %v", c.name, in[i], c.got, c.want)
				}
			}
		}
	})
}

// windows are geometries covering padding, strides, dilations and
// ceil-mode outputs that reach past the padding.
func windows() []Window2D {
	var ws []Window2D
	for _, g := range []struct{ h, w, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr int }{
		{7, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
		{8, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},
		{9, 7, 3, 3, 2, 1, 1, 1, 0, 1, 1, 0},
		{5, 6, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0},
		{10, 11, 3, 2, 3, 2, 2, 3, 2, 1, 0, 3},
		{3, 3, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0},
		{2, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
		{1, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},
		{12, 13, 5, 4, 1, 3, 1, 1, 2, 2, 2, 2},
	} {
		for _, ceil := range []bool{false, true} {
			w := Window2D{H: g.h, W: g.w, KH: g.kh, KW: g.kw, SH: g.sh, SW: g.sw, DH: g.dh, DW: g.dw,
				PadT: g.pt, PadL: g.pl, PadB: g.pb, PadR: g.pr}
			w.OH = OutSize(g.h, g.kh, g.sh, g.dh, g.pt, g.pb, ceil)
			w.OW = OutSize(g.w, g.kw, g.sw, g.dw, g.pl, g.pr, ceil)
			ws = append(ws, w)
		}
	}
	return ws
}

// taps calls f(iy, ix, inPlane, inPadded) for every tap of output (oy, ox).
func taps(w *Window2D, oy, ox int, f func(iy, ix int, inPlane, inPadded bool)) {
	for ky := range w.KH {
		for kx := range w.KW {
			iy, ix := oy*w.SH-w.PadT+ky*w.DH, ox*w.SW-w.PadL+kx*w.DW
			in := iy >= 0 && iy < w.H && ix >= 0 && ix < w.W
			pad := iy >= -w.PadT && iy < w.H+w.PadB && ix >= -w.PadL && ix < w.W+w.PadR
			f(iy, ix, in, pad)
		}
	}
}

func TestWindowKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for wi, w := range windows() {
		w := w
		const planes = 3
		x := make([]float32, planes*w.H*w.W)
		for i := range x {
			x[i] = float32(r.IntN(17) - 8)
		}
		os := w.OH * w.OW
		name := fmt.Sprintf("window %d %+v", wi, w)
		// MaxPool and AvgPool against the per-output definition.
		dFull, d := guarded(planes * os)
		MaxPool2D(d, x, planes, &w)
		checkGuards(t, name, dFull)
		for p := range planes {
			for oy := range w.OH {
				for ox := range w.OW {
					m := float32(math.Inf(-1))
					taps(&w, oy, ox, func(iy, ix int, in, _ bool) {
						if in {
							m = max(m, x[p*w.H*w.W+iy*w.W+ix])
						}
					})
					if g := d[p*os+oy*w.OW+ox]; g != m {
						t.Fatalf("%s: MaxPool [%d,%d,%d] = %v, want %v", name, p, oy, ox, g, m)
					}
				}
			}
		}
		for _, incl := range []bool{false, true} {
			AvgPool2D(d, x, planes, &w, incl)
			for p := range planes {
				for oy := range w.OH {
					for ox := range w.OW {
						var s float32
						cnt := 0
						taps(&w, oy, ox, func(iy, ix int, in, pad bool) {
							if in {
								s += x[p*w.H*w.W+iy*w.W+ix]
							}
							if in || (incl && pad) {
								cnt++
							}
						})
						want := s * (1 / float32(cnt))
						if g := d[p*os+oy*w.OW+ox]; g != want && !(g != g && want != want) {
							t.Fatalf("%s incl=%v: AvgPool [%d,%d,%d] = %v, want %v", name, incl, p, oy, ox, g, want)
						}
					}
				}
			}
		}
		// Depthwise convolution with channel multiplier 2 (integers: exact).
		const mult = 2
		wts := make([]float32, planes*mult*w.KH*w.KW)
		bias := make([]float32, planes*mult)
		for i := range wts {
			wts[i] = float32(r.IntN(5) - 2)
		}
		for i := range bias {
			bias[i] = float32(r.IntN(5) - 2)
		}
		yFull, y := guarded(planes * mult * os)
		DepthwiseConv2D(y, x, wts, bias, 1, planes, mult, &w)
		checkGuards(t, name+" depthwise", yFull)
		for m := range planes * mult {
			for oy := range w.OH {
				for ox := range w.OW {
					s := bias[m]
					k := 0
					taps(&w, oy, ox, func(iy, ix int, in, _ bool) {
						if in {
							s += wts[m*w.KH*w.KW+k] * x[(m/mult)*w.H*w.W+iy*w.W+ix]
						}
						k++
					})
					if g := y[m*os+oy*w.OW+ox]; g != s {
						t.Fatalf("%s: depthwise [%d,%d,%d] = %v, want %v", name, m, oy, ox, g, s)
					}
				}
			}
		}
		// im2col.
		cFull, col := guarded(planes * w.KH * w.KW * os)
		Im2col(col, x, planes, &w)
		checkGuards(t, name+" im2col", cFull)
		for ci := range planes {
			for oy := range w.OH {
				for ox := range w.OW {
					k := 0
					taps(&w, oy, ox, func(iy, ix int, in, _ bool) {
						var want float32
						if in {
							want = x[ci*w.H*w.W+iy*w.W+ix]
						}
						if g := col[(ci*w.KH*w.KW+k)*os+oy*w.OW+ox]; g != want {
							t.Fatalf("%s: im2col c=%d tap %d (%d,%d) = %v, want %v", name, ci, k, oy, ox, g, want)
						}
						k++
					})
				}
			}
		}
	}
}

func TestOutSize(t *testing.T) {
	for _, c := range []struct {
		in, k, s, d, pb, pe int
		ceil                bool
		want                int
	}{
		{5, 2, 2, 1, 0, 0, false, 2}, {5, 2, 2, 1, 0, 0, true, 3},
		{32, 3, 1, 1, 1, 1, false, 32}, {7, 3, 2, 2, 0, 0, false, 2},
		{2, 3, 1, 1, 0, 0, false, 0}, {6, 3, 2, 1, 1, 0, true, 3},
	} {
		if g := OutSize(c.in, c.k, c.s, c.d, c.pb, c.pe, c.ceil); g != c.want {
			t.Errorf("OutSize%+v = %d, want %d", c, g, c.want)
		}
	}
}

// TestNoAllocs: the row and broadcast entry points allocate nothing in
// steady state (no one-element slices or scratch rows escape to the heap).
func TestNoAllocs(t *testing.T) {
	forEachLevel(t, func(t *testing.T, l isa.Level) {
		x := make([]float32, 300)
		d := make([]float32, 300)
		col := make([]float32, 3)
		for i := range x {
			x[i] = float32(i%17) - 8
		}
		allocs := allocstest.PerRun(20, func() {
			Softmax(d, x)
			LogSoftmax(d, x)
			copy(d, x)
			LogSoftmax(d, d)
			BinaryScalar(Mul, d, x, 2)
			ScalarBinary(Sub, d, 1, x)
			BinaryCol(Add, d, x, col, 100)
			Relu(d)
			Clip(d, -1, 1)
			LayerNorm(d, x, nil, nil, 1e-5)
		})
		if allocs > 0 {
			t.Fatalf("%v allocations per run", allocs)
		}
	})
}
