package vecmath

import "math"

// MaxPool2D sets each output of every plane (x: planes×H×W, dst:
// planes×OH×OW) to the largest input under its window, ignoring padding;
// NaN under a window gives NaN; a window entirely in padding gives -Inf.
func MaxPool2D(dst, x []float32, planes int, w *Window2D) {
	w.mustCheck("MaxPool2D", planes, planes, x, dst)
	ps, os := w.H*w.W, w.OH*w.OW
	for p := range planes {
		maxPlane(dst[p*os:(p+1)*os], x[p*ps:(p+1)*ps], w)
	}
}

func maxPlane(dst, x []float32, w *Window2D) {
	for i := range dst {
		dst[i] = float32(math.Inf(-1))
	}
	// Tap by tap: for each (ky, kx) the valid outputs form a rectangle, so
	// the inner loop is a branch-free strided max over one output row.
	EachTap(w.KH, w.DH, w.H, w.OH, w.SH, w.PadT, func(ky int) {
		y0, y1 := Span(w.H, w.OH, w.SH, w.PadT, ky*w.DH)
		EachTap(w.KW, w.DW, w.W, w.OW, w.SW, w.PadL, func(kx int) {
			x0, x1 := Span(w.W, w.OW, w.SW, w.PadL, kx*w.DW)
			if x0 >= x1 {
				return
			}
			for oy := y0; oy < y1; oy++ {
				src := x[(oy*w.SH-w.PadT+ky*w.DH)*w.W:]
				d := dst[oy*w.OW+x0 : oy*w.OW+x1]
				ix := x0*w.SW - w.PadL + kx*w.DW
				if w.SW == 1 {
					s := src[ix : ix+len(d)]
					for j, v := range s {
						d[j] = max(d[j], v) // branch-free; NaN propagates
					}
					continue
				}
				for j := range d {
					d[j] = max(d[j], src[ix+j*w.SW])
				}
			}
		})
	})
}

// AvgPool2D sets each output to the mean of the inputs under its window.
// With countIncludePad the divisor counts padding positions inside
// [-PadT, H+PadB)×[-PadL, W+PadR) (positions past them, from ceil_mode,
// never count); without it only positions inside the plane count. A
// window with nothing to count gives NaN (0/0).
func AvgPool2D(dst, x []float32, planes int, w *Window2D, countIncludePad bool) {
	w.mustCheck("AvgPool2D", planes, planes, x, dst)
	ps, os := w.H*w.W, w.OH*w.OW
	div := make([]float32, os)
	avgDivisors(div, w, countIncludePad)
	for p := range planes {
		d := dst[p*os : (p+1)*os]
		clear(d)
		sumPlane(d, x[p*ps:(p+1)*ps], w)
		for i := range d {
			d[i] *= div[i]
		}
	}
}

// SumPlane2D sets dst (OH×OW) to the window sums of the plane x (H×W),
// tap by tap: for each kernel tap, the strided run of inputs it reads is
// added into the output row.
func SumPlane2D(dst, x []float32, w *Window2D) {
	clear(dst)
	sumPlane(dst, x, w)
}

// sumPlane adds, tap by tap, the inputs under each window into dst.
func sumPlane(dst, x []float32, w *Window2D) {
	EachTap(w.KH, w.DH, w.H, w.OH, w.SH, w.PadT, func(ky int) {
		y0, y1 := Span(w.H, w.OH, w.SH, w.PadT, ky*w.DH)
		EachTap(w.KW, w.DW, w.W, w.OW, w.SW, w.PadL, func(kx int) {
			x0, x1 := Span(w.W, w.OW, w.SW, w.PadL, kx*w.DW)
			if x0 >= x1 {
				return
			}
			for oy := y0; oy < y1; oy++ {
				src := x[(oy*w.SH-w.PadT+ky*w.DH)*w.W:]
				d := dst[oy*w.OW+x0 : oy*w.OW+x1]
				ix := x0*w.SW - w.PadL + kx*w.DW
				if w.SW == 1 {
					s := src[ix : ix+len(d)]
					for j, v := range s {
						d[j] += v
					}
					continue
				}
				for j := range d {
					d[j] += src[ix+j*w.SW]
				}
			}
		})
	})
}

// avgDivisors stores 1/count for every output position.
func avgDivisors(div []float32, w *Window2D, includePad bool) {
	lo, hiH, hiW := 0, w.H, w.W
	if includePad {
		hiH, hiW = w.H+w.PadB, w.W+w.PadR
	}
	count := func(o, s, p, k, d, hi int, padLo int) int { return tapCount(o*s-p, k, d, padLo, hi) }
	padLoH, padLoW := lo, lo
	if includePad {
		padLoH, padLoW = -w.PadT, -w.PadL
	}
	for oy := range w.OH {
		cy := count(oy, w.SH, w.PadT, w.KH, w.DH, hiH, padLoH)
		for ox := range w.OW {
			cx := count(ox, w.SW, w.PadL, w.KW, w.DW, hiW, padLoW)
			div[oy*w.OW+ox] = 1 / float32(cy*cx)
		}
	}
}
