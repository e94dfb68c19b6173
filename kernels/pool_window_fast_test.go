package kernels

import (
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/vecmath"
)

// TestMaxPool2x2Fast compares the 2×2 stride-2 fast paths of
// maxPool2DF32 with the tap-by-tap vecmath.MaxPool2D over plane sizes
// (odd, even, narrow, wide), with NaN and ±Inf inputs.
func TestMaxPool2x2Fast(t *testing.T) {
	rng := rand.New(rand.NewSource(31))
	for _, hw := range [][2]int{{2, 2}, {4, 5}, {5, 16}, {13, 17}, {26, 26}, {11, 11}, {3, 70}, {6, 1100}} {
		h, w := hw[0], hw[1]
		win := &vecmath.Window2D{H: h, W: w, KH: 2, KW: 2, SH: 2, SW: 2, DH: 1, DW: 1, OH: h / 2, OW: w / 2}
		const planes = 3
		x := make([]float32, planes*h*w)
		for i := range x {
			x[i] = rng.Float32()*2 - 1
			switch rng.Intn(40) {
			case 0:
				x[i] = float32(math.NaN())
			case 1:
				x[i] = float32(math.Inf(-1))
			case 2:
				x[i] = float32(math.Inf(1))
			}
		}
		orig := append([]float32(nil), x...)
		os := win.OH * win.OW
		got, want := make([]float32, planes*os), make([]float32, planes*os)
		for _, l := range isa.Supported() {
			maxPool2DF32(vecmath.For(l), win, x, got, planes)
			vecmath.MaxPool2D(want, x, planes, win)
			for i := range got {
				g, e := got[i], want[i]
				if g != e && !(g != g && e != e) {
					t.Fatalf("%v %dx%d: output %d = %v, want %v", l, h, w, i, g, e)
				}
			}
		}
		for i := range x {
			if math.Float32bits(x[i]) != math.Float32bits(orig[i]) {
				t.Fatalf("%dx%d: input modified", h, w)
			}
		}
	}
}
