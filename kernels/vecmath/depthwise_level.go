package vecmath

// dwRowFunc computes one output row of a 3×3 depthwise convolution over
// the interior columns: dst[i] = b + Σ k[3ky+kx]·r_ky[i·stride+kx] (the
// math of amd64.Dw3x3RowGo), each row holding (len(dst)-1)·stride+3 values.
type dwRowFunc func(dst, r0, r1, r2, k []float32, b float32, stride int)

// dwRowsFunc is dwRowFunc over len(dst)/n output rows of n values whose
// input rows start every step floats of x, pitch floats apart (the math
// of amd64.Dw3x3RowsGo).
type dwRowsFunc func(dst, x, k []float32, b float32, n, stride, pitch, step int)

// dwRowsOf is the dwRowsFunc that calls row once per output row.
func dwRowsOf(row dwRowFunc) dwRowsFunc {
	return func(dst, x, k []float32, b float32, n, stride, pitch, step int) {
		for oy := 0; n > 0 && oy < len(dst)/n; oy++ {
			r := x[oy*step:]
			row(dst[oy*n:(oy+1)*n], r[:pitch], r[pitch:2*pitch], r[2*pitch:3*pitch], k, b, stride)
		}
	}
}

// DepthwiseConv2D is DepthwiseConv2D at r's level: the 3×3 stride-1/2
// interior rows run that level's row kernel (assembly on AVX2 and
// AVX-512), everything else the shared Go code.
func (r *Routines) DepthwiseConv2D(dst, x, wts, bias []float32, n, c, mult int, w *Window2D) {
	row, rows := dwRowFor(r.level)
	depthwiseConv2D(row, rows, dst, x, wts, bias, n, c, mult, w)
}

// dwPadded reports whether the 3×3 stride-1/2 window w has outputs whose
// window leaves the plane, and the padded plane size dw3x3Padded needs.
func dwPadded(w *Window2D) (padded bool, size int) {
	y0, y1 := interior(w.H, w.OH, w.SH, w.PadT)
	x0, x1 := interior(w.W, w.OW, w.SW, w.PadL)
	if y0 == 0 && y1 == w.OH && x0 == 0 && x1 == w.OW {
		return false, 0
	}
	return true, ((w.OH-1)*w.SH + 3) * ((w.OW-1)*w.SW + 3)
}

// dw3x3Padded is dw3x3 for a plane whose border outputs read padding: it
// copies x into pad, a zero-framed plane of ((OH-1)·SH+3) × ((OW-1)·SW+3)
// values (padded position (py, px) holds x[py-PadT][px-PadL], zero
// outside the plane), then runs every output row through row.
func dw3x3Padded(rows dwRowsFunc, pad, dst, x, k []float32, b float32, w *Window2D) {
	ph, pw := (w.OH-1)*w.SH+3, (w.OW-1)*w.SW+3
	pad = pad[:ph*pw]
	lo, hi := min(max(w.PadL, 0), pw), min(max(w.W+w.PadL, 0), pw)
	for py := range ph {
		p := pad[py*pw : (py+1)*pw]
		iy := py - w.PadT
		if iy < 0 || iy >= w.H || lo >= hi {
			clear(p)
			continue
		}
		for i := range p[:lo] {
			p[i] = 0
		}
		copy(p[lo:hi], x[iy*w.W+lo-w.PadL:])
		for i := hi; i < len(p); i++ {
			p[i] = 0
		}
	}
	rows(dst[:w.OH*w.OW], pad, k, b, w.OW, w.SW, pw, w.SH*pw)
}
