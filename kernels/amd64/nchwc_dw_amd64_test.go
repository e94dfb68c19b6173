package amd64

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestNCHWcDwArgsLayout pins the byte offsets the assembly reads.
func TestNCHWcDwArgsLayout(t *testing.T) {
	var a NCHWcDwArgs
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"X", unsafe.Offsetof(a.X), 0}, {"W", unsafe.Offsetof(a.W), 24}, {"Y", unsafe.Offsetof(a.Y), 48},
		{"Bias", unsafe.Offsetof(a.Bias), 72}, {"XOff", unsafe.Offsetof(a.XOff), 96}, {"WOff", unsafe.Offsetof(a.WOff), 120},
		{"NP", unsafe.Offsetof(a.NP), 144}, {"NR", unsafe.Offsetof(a.NR), 152}, {"PS", unsafe.Offsetof(a.PS), 160},
		{"RS", unsafe.Offsetof(a.RS), 168}, {"YRS", unsafe.Offsetof(a.YRS), 176}, {"Lo", unsafe.Offsetof(a.Lo), 184},
		{"Hi", unsafe.Offsetof(a.Hi), 188},
	} {
		if c.got != c.want {
			t.Errorf("NCHWcDwArgs.%s at byte %d, the assembly reads %d", c.name, c.got, c.want)
		}
	}
}

func TestNCHWcDwAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(7, 8))
	inf := float32(math.Inf(1))
	clamps := [][2]float32{{-inf, inf}, {0, inf}, {0, 6}, {-3, 2}}
	for np := 0; np <= 70; np++ {
		for _, nr := range []int{1, 2, 3} {
			for _, ntaps := range []int{0, 1, 4, 9} {
				for ci, cl := range clamps {
					runNCHWcDw(t, r, np, nr, ntaps, 16+16*(np%3), cl, (np+ci)%7 == 3)
				}
			}
		}
	}
	runNCHWcDw(t, r, 200, 3, 25, 32, clamps[2], true) // large: 5×5 taps, 200-pixel rows
}

func runNCHWcDw(t *testing.T, r *rand.Rand, np, nr, ntaps, ps int, cl [2]float32, nan bool) {
	t.Helper()
	rs := np*ps + 37
	xoff, woff := make([]int, ntaps), make([]int, ntaps)
	maxX := 0
	for i := range ntaps {
		xoff[i] = r.IntN(3*16 + 5)
		woff[i] = 16 * ((i * 5) % ntaps) // any order, repeats allowed
		maxX = max(maxX, xoff[i])
	}
	nx := maxX + max(nr-1, 0)*rs + max(np-1, 0)*ps + 16
	xf, x := guardedFill(r, nx)
	if nan && nx > 0 {
		x[r.IntN(nx)] = float32(math.NaN())
	}
	wf, w := guardedFill(r, 16*max(ntaps, 1))
	bf, bias := guardedFill(r, 16)
	yrs := np*16 + 3
	ny := max(nr-1, 0)*yrs + np*16
	a := NCHWcDwArgs{X: x, W: w, Bias: bias, XOff: xoff, WOff: woff, NP: np, NR: nr, PS: ps, RS: rs, YRS: yrs, Lo: cl[0], Hi: cl[1]}
	x0, w0 := append([]float32(nil), x...), append([]float32(nil), w...)
	yf1, y1 := guarded(ny)
	yf2, y2 := guarded(ny)
	b := a
	a.Y, b.Y = y1, y2
	NCHWcDwCheck(&a)
	NCHWcDwAVX512(&a)
	NCHWcDwGo(&b)
	for i := range y1 {
		if math.Float32bits(y1[i]) != math.Float32bits(y2[i]) && !(y1[i] != y1[i] && y2[i] != y2[i]) {
			t.Fatalf("np=%d nr=%d taps=%d clamp=%v: y[%d] = %v, twin %v", np, nr, ntaps, cl, i, y1[i], y2[i])
		}
	}
	for i := range x {
		if math.Float32bits(x[i]) != math.Float32bits(x0[i]) {
			t.Fatalf("input X modified")
		}
	}
	for i := range w {
		if w[i] != w0[i] {
			t.Fatalf("input W modified")
		}
	}
	checkGuards(t, "X", xf, nx)
	checkGuards(t, "W", wf, len(w))
	checkGuards(t, "bias", bf, 16)
	checkGuards(t, "Y", yf1, ny)
	checkGuards(t, "Y (twin)", yf2, ny)
}

// BenchmarkNCHWcDw times a 3×3 stride-1 block of 14×14 pixels.
func BenchmarkNCHWcDw(b *testing.B) {
	if !hasAVX512() {
		b.Skip("no AVX-512")
	}
	const h, w = 16, 16
	x := make([]float32, h*w*16)
	for i := range x {
		x[i] = float32(i%7) - 3
	}
	wt := make([]float32, 9*16)
	var xoff, woff []int
	for kh := range 3 {
		for kw := range 3 {
			xoff = append(xoff, (kh*w+kw)*16)
			woff = append(woff, (kh*3+kw)*16)
		}
	}
	y := make([]float32, 14*14*16)
	bias := make([]float32, 16)
	inf := float32(math.Inf(1))
	a := NCHWcDwArgs{X: x, W: wt, Y: y, Bias: bias, XOff: xoff, WOff: woff, NP: 14, NR: 14, PS: 16, RS: w * 16, YRS: 14 * 16, Lo: 0, Hi: inf}
	b.SetBytes(int64(14 * 14 * 9 * 16 * 2 * 4))
	for b.Loop() {
		NCHWcDwAVX512(&a)
	}
}

func TestNCHWcClampAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(9, 10))
	inf := float32(math.Inf(1))
	for _, n := range append([]int{1000, 4099}, func() []int {
		s := make([]int, 71)
		for i := range s {
			s[i] = i
		}
		return s
	}()...) {
		for _, cl := range [][2]float32{{-inf, inf}, {0, inf}, {0, 6}, {-3, 2}, {4, 1}} {
			f1, x1 := guardedFill(r, n)
			if n > 3 {
				x1[n/2] = float32(math.NaN())
			}
			f2, x2 := guarded(n)
			copy(x2, x1)
			NCHWcClampAVX512(x1, cl[0], cl[1])
			NCHWcClampGo(x2, cl[0], cl[1])
			for i := range x1 {
				if math.Float32bits(x1[i]) != math.Float32bits(x2[i]) && !(x1[i] != x1[i] && x2[i] != x2[i]) {
					t.Fatalf("n=%d clamp=%v: x[%d] = %v, twin %v", n, cl, i, x1[i], x2[i])
				}
			}
			checkGuards(t, "x", f1, n)
			checkGuards(t, "x (twin)", f2, n)
		}
	}
}
