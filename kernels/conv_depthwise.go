package kernels

import "github.com/nncc/nncc/kernels/vecmath"

// convDepthwiseOK reports whether g is a depthwise convolution the
// vecmath plane routine runs (the depthwise row of conv.go's table): one
// group per input channel (M a multiple of C), 1-D or 2-D, no negative
// leading padding. A 1-D convolution (Conv1d, as in speech models) runs
// as planes of one row: through the GEMM forms each of its channels would
// be a product of one row, a few taps and a few dozen columns, dominated
// by the product's fixed costs.
func convDepthwiseOK(g *convGeom) bool {
	if !convDepthwise1DOn && len(g.in) == 1 {
		return false
	}
	if g.group != g.c || g.group <= 1 || g.m%g.c != 0 {
		return false
	}
	switch len(g.in) {
	case 1:
		return g.pb[0] >= 0
	case 2:
		return g.pb[0] >= 0 && g.pb[1] >= 0
	}
	return false
}

// convDepthwise1DOn sends 1-D depthwise convolutions to the depthwise
// form; tests turn it off to compare with the GEMM forms.
var convDepthwise1DOn = true

// convDepthwiseWindow returns g's window as vecmath takes it: a 1-D
// convolution is a 2-D one of height 1 (one kernel row, no vertical
// stride, dilation or padding).
func convDepthwiseWindow(g *convGeom) vecmath.Window2D {
	if len(g.in) == 1 {
		return vecmath.Window2D{H: 1, W: int(g.in[0]), KH: 1, KW: int(g.k[0]),
			SH: 1, SW: int(g.s[0]), DH: 1, DW: int(g.d[0]),
			PadL: int(g.pb[0]), PadR: max(int(g.pe[0]), 0), OH: 1, OW: int(g.out[0])}
	}
	return vecmath.Window2D{H: int(g.in[0]), W: int(g.in[1]), KH: int(g.k[0]), KW: int(g.k[1]),
		SH: int(g.s[0]), SW: int(g.s[1]), DH: int(g.d[0]), DW: int(g.d[1]),
		PadT: int(g.pb[0]), PadL: int(g.pb[1]), PadB: max(int(g.pe[0]), 0), PadR: max(int(g.pe[1]), 0),
		OH: int(g.out[0]), OW: int(g.out[1])}
}

// depthwise1D is the depthwise convolution of rows (1-D, w.H == w.KH ==
// 1) for n images of c input channels, each with mult output channels:
//
//	dst[img][oc][o] = bias[oc] + Σ_t wts[oc][t] · x[img][oc/mult][o·SW − PadL + t·DW]
//
// summed in tap order, with the terms whose input position falls outside
// the row left out (zero padding) and bias 0 when nil. dst is c·mult rows
// of OW, x c rows of W, wts c·mult rows of KW. The outputs whose taps all
// lie inside the row go eight (unit stride) or four at a time, in registers; the few at the
// borders check each tap.
func depthwise1D(dst, x, wts, bias []float32, n, c, mult int, w *vecmath.Window2D) {
	m, kw, sw, dw, pl := c*mult, w.KW, w.SW, w.DW, w.PadL
	iw, ow := w.W, w.OW
	// [lo, hi): outputs whose first tap is at or after 0 and whose last
	// is before iw.
	lo := min((pl+sw-1)/sw, ow)
	hi := lo
	if last := iw - 1 - (kw-1)*dw + pl; last >= 0 {
		hi = max(lo, min(ow, last/sw+1))
	}
	for img := range n {
		for oc := range m {
			d := dst[(img*m+oc)*ow : (img*m+oc+1)*ow]
			xs := x[(img*c+oc/mult)*iw : (img*c+oc/mult+1)*iw]
			var b float32
			if bias != nil {
				b = bias[oc]
			}
			k := wts[oc*kw : (oc+1)*kw]
			for o := range lo {
				d[o] = depthwise1DAt(xs, k, b, o*sw-pl, dw)
			}
			o := lo
			if sw == 1 {
				for ; o+8 <= hi; o += 8 {
					a0, a1, a2, a3, a4, a5, a6, a7 := b, b, b, b, b, b, b, b
					q := o - pl
					for _, wv := range k {
						r := (*[8]float32)(xs[q : q+8])
						a0 += wv * r[0]
						a1 += wv * r[1]
						a2 += wv * r[2]
						a3 += wv * r[3]
						a4 += wv * r[4]
						a5 += wv * r[5]
						a6 += wv * r[6]
						a7 += wv * r[7]
						q += dw
					}
					*(*[8]float32)(d[o : o+8]) = [8]float32{a0, a1, a2, a3, a4, a5, a6, a7}
				}
			}
			for ; o+4 <= hi; o += 4 {
				a0, a1, a2, a3 := b, b, b, b
				q := o*sw - pl
				for _, wv := range k {
					r := xs[q : q+3*sw+1]
					a0 += wv * r[0]
					a1 += wv * r[sw]
					a2 += wv * r[2*sw]
					a3 += wv * r[3*sw]
					q += dw
				}
				d[o], d[o+1], d[o+2], d[o+3] = a0, a1, a2, a3
			}
			for ; o < ow; o++ {
				d[o] = depthwise1DAt(xs, k, b, o*sw-pl, dw)
			}
		}
	}
}

// depthwise1DAt returns b + Σ_t k[t]·xs[p + t·dw] over the taps inside xs.
func depthwise1DAt(xs, k []float32, b float32, p, dw int) float32 {
	for _, wv := range k {
		if uint(p) < uint(len(xs)) {
			b += wv * xs[p]
		}
		p += dw
	}
	return b
}

// depthwisePlanes runs a depthwise convolution of n images of c channels
// through depthwise1D for rows and r.DepthwiseConv2D for planes.
func depthwisePlanes(r *vecmath.Routines, dst, x, wts, bias []float32, n, c, mult int, w *vecmath.Window2D) {
	if w.H == 1 && w.KH == 1 && w.OH == 1 {
		depthwise1D(dst, x, wts, bias, n, c, mult, w)
		return
	}
	r.DepthwiseConv2D(dst, x, wts, bias, n, c, mult, w)
}
