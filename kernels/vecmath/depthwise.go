package vecmath

import "fmt"

// DepthwiseConv2D is a grouped convolution with one group per input
// channel (Conv with group = C): output channel m of every image reads
// input channel m/mult with its own KH×KW filter wts[m·KH·KW:]. x is
// n×C×H×W, dst n×(C·mult)×OH×OW, bias nil or C·mult values. Padding reads
// as zero. 3×3 filters with stride 1 or 2 and no dilation take an
// unrolled path; every other geometry the tap-by-tap loop. It runs at the
// level isa.Current() selects; kernels use For(level).DepthwiseConv2D.
func DepthwiseConv2D(dst, x, wts, bias []float32, n, c, mult int, w *Window2D) {
	current().DepthwiseConv2D(dst, x, wts, bias, n, c, mult, w)
}

// depthwiseConv2D is DepthwiseConv2D with row the 3×3 interior row kernel
// and rows its multi-row form (for padded planes).
func depthwiseConv2D(row dwRowFunc, rows dwRowsFunc, dst, x, wts, bias []float32, n, c, mult int, w *Window2D) {
	m := c * mult
	w.mustCheck("DepthwiseConv2D", n*c, n*m, x, dst)
	if len(wts) != m*w.KH*w.KW || (bias != nil && len(bias) != m) {
		panic(fmt.Sprintf("vecmath: DepthwiseConv2D: %d weights, %d biases for %d channels of %d×%d", len(wts), len(bias), m, w.KH, w.KW))
	}
	ps, os, kk := w.H*w.W, w.OH*w.OW, w.KH*w.KW
	fast := w.KH == 3 && w.KW == 3 && w.DH == 1 && w.DW == 1 && w.SH <= 2 && w.SW <= 2 && w.OH > 0 && w.OW > 0
	var pad []float32
	if fast {
		if padded, size := dwPadded(w); padded {
			buf := scratchPool.Get().(*[]float32)
			defer scratchPool.Put(buf)
			if cap(*buf) < size {
				*buf = make([]float32, size)
			}
			pad = (*buf)[:size]
		}
	}
	for img := range n {
		for oc := range m {
			d := dst[(img*m+oc)*os : (img*m+oc+1)*os]
			xs := x[(img*c+oc/mult)*ps : (img*c+oc/mult+1)*ps]
			var b float32
			if bias != nil {
				b = bias[oc]
			}
			k := wts[oc*kk : (oc+1)*kk]
			if pad != nil {
				dw3x3Padded(rows, pad, d, xs, k, b, w)
			} else if fast {
				dw3x3(row, d, xs, k, b, w)
			} else {
				for i := range d {
					d[i] = b
				}
				dwTaps(d, xs, k, w)
			}
		}
	}
}

// dwTaps adds every tap's contribution over the rectangle of outputs whose
// input position is inside the plane.
func dwTaps(dst, x, k []float32, w *Window2D) {
	for ky := range w.KH {
		y0, y1 := Span(w.H, w.OH, w.SH, w.PadT, ky*w.DH)
		for kx := range w.KW {
			wv := k[ky*w.KW+kx]
			x0, x1 := Span(w.W, w.OW, w.SW, w.PadL, kx*w.DW)
			if x0 >= x1 {
				continue
			}
			for oy := y0; oy < y1; oy++ {
				src := x[(oy*w.SH-w.PadT+ky*w.DH)*w.W:]
				d := dst[oy*w.OW+x0 : oy*w.OW+x1]
				ix := x0*w.SW - w.PadL + kx*w.DW
				for j := range d {
					d[j] += wv * src[ix+j*w.SW]
				}
			}
		}
	}
}

// dw3x3 is the 3×3 stride-1/2 plane whose every window lies inside x
// (dwPadded false: planes with padding go through dw3x3Padded): every
// output row goes through row.
func dw3x3(row dwRowFunc, dst, x, k []float32, b float32, w *Window2D) {
	iw, sw := w.W, w.SW
	for oy := range w.OH {
		iy := oy*w.SH - w.PadT
		ix := -w.PadL
		row(dst[oy*w.OW:(oy+1)*w.OW], x[iy*iw+ix:(iy+1)*iw], x[(iy+1)*iw+ix:(iy+2)*iw], x[(iy+2)*iw+ix:(iy+3)*iw], k, b, sw)
	}
}

// interior returns [lo, hi), the outputs whose 3-tap window o·s-p .. o·s-p+2
// lies inside [0, n).
func interior(n, out, s, p int) (lo, hi int) {
	lo = (p + s - 1) / s
	if n-3+p < 0 {
		return 0, 0
	}
	hi = min(out, (n-3+p)/s+1)
	return lo, max(lo, hi)
}
