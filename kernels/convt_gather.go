package kernels

// The gather form of a 2-D ConvTranspose's col2im, for the colᵀ
// orientation of convt_f32.go. There W[g] is packed with its columns in
// (ky, kx, m) order, so row i = (iy, ix) of colᵀ (in × rows) holds, per
// tap (ky, kx), the contiguous mg values
//
//	colᵀ[i, (ky, kx, m)] = Σ_c X[c, iy, ix]·W[c, m, ky, kx]
//
// and each output position o = (oy, ox) is the sum of the few such runs
// whose tap maps an input position onto it:
//
//	Yᵀ[o, m] = Σ colᵀ[(iy, ix), (ky, kx, m)]  over oy = iy·sh − ph + ky·dh,
//	                                                ox = ix·sw − pw + kx·dw
//
// The contributing (iy, ky) pairs of each output row and (ix, kx) pairs of
// each output column are listed once per geometry as offsets into colᵀ
// (convTGather), so the loop per output position adds whole runs of mg
// values (no index math, no strided read-modify-write of the planes as in
// the scatter form) into Yᵀ (os × mg); convTransposeEpi then transposes Yᵀ into
// the output planes, adding the bias.

// convTGather lists, per output row and column, the offsets into colᵀ of
// the runs that land there: output row oy takes yOff[yStart[oy]:yStart[oy+1]]
// (iy·iw·rows + ky·kw·mg each) and column ox takes xOff[xStart[ox]:
// xStart[ox+1]] (ix·rows + kx·mg each); a run starts at the sum of one of
// each.
type convTGather struct {
	yStart, yOff []int
	xStart, xOff []int
}

// convTAxisTaps lists, for each of the o output positions of one axis
// (input n, kernel k, stride s, dilation d, begin pad p), the offsets
// iStride·i + kStride·kk of the (input i, tap kk) pairs with
// i·s − p + kk·d = o.
func convTAxisTaps(o, n, k, s, d, p, iStride, kStride int) (start, off []int) {
	start = make([]int, o+1)
	for oi := range o {
		start[oi] = len(off)
		for kk := range k {
			v := oi + p - kk*d
			if v < 0 || v%s != 0 || v/s >= n {
				continue
			}
			off = append(off, v/s*iStride+kk*kStride)
		}
	}
	start[o] = len(off)
	return start, off
}

// newConvTGather returns the gather lists of t for mg output channels per
// group (rows = mg·kh·kw).
func newConvTGather(t *convT2D, mg int) *convTGather {
	rows := mg * t.kh * t.kw
	var g convTGather
	g.yStart, g.yOff = convTAxisTaps(t.oh, t.ih, t.kh, t.sh, t.dh, t.ph, t.iw*rows, t.kw*mg)
	g.xStart, g.xOff = convTAxisTaps(t.ow, t.iw, t.kw, t.sw, t.dw, t.pw, rows, mg)
	return &g
}

// run writes rows [oy0, oy1) of Yᵀ (os × mg, row o = oy·ow + ox) from colᵀ.
func (g *convTGather) run(col, yt []float32, mg, ow, oy0, oy1 int) {
	for oy := oy0; oy < oy1; oy++ {
		ys := g.yOff[g.yStart[oy]:g.yStart[oy+1]]
		for ox := range ow {
			d := yt[(oy*ow+ox)*mg:][:mg]
			xs := g.xOff[g.xStart[ox]:g.xStart[ox+1]]
			if len(ys) == 0 || len(xs) == 0 {
				clear(d)
				continue
			}
			first := true
			for _, a := range ys {
				for _, b := range xs {
					src := col[a+b:][:len(d)]
					if first {
						// A loop, not copy: runs are a few dozen values.
						for j := range d {
							d[j] = src[j]
						}
						first = false
						continue
					}
					for j := range d {
						d[j] += src[j]
					}
				}
			}
		}
	}
}
