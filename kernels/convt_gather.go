package kernels

import "github.com/nncc/nncc/kernels/isa"

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
// the scatter form) into Yᵀ (os × mg); tpose then transposes Yᵀ into
// the output planes, adding the bias (and a fused ReLU).

// convTGather lists, per output row and column, the offsets into colᵀ of
// the runs that land there: output row oy takes yOff[yStart[oy]:yStart[oy+1]]
// (iy·iw·rows + ky·kw·mg each) and column ox takes xOff[xStart[ox]:
// xStart[ox+1]] (ix·rows + kx·mg each); a run starts at the sum of one of
// each.
type convTGather struct {
	yStart, yOff []int
	xStart, xOff []int
	row          convTGatherRowFunc // one output row, 16 channels at a time
	tpose        convTTransposeFunc // Yᵀ into the output planes
}

// convTTransposeFunc sets output planes from Yᵀ with the bias (and a
// ReLU) added (amd64.ConvTTransposeGo states its math).
type convTTransposeFunc func(y, yt, bias []float32, os, mg, m0, m1, relu int)

// convTransposeStore is the transposing store without the AVX-512
// gathers: convTransposeEpi, whose blocks stay in L1 (the Go twin's
// plane-by-plane order does not).
func convTransposeStore(y, yt, bias []float32, os, mg, m0, m1, relu int) {
	if len(bias) == 0 {
		bias = nil
	}
	convTransposeEpi(y, yt, bias, nil, mg, os, m0, m1, relu != 0)
}

// convTGatherRowFunc sums the runs of one output row
// (amd64.ConvTGatherRowGo states its math).
type convTGatherRowFunc func(dst, col []float32, ys, xStart, xOff []int, ld, lanes int)

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
// group (rows = mg·kh·kw), summed by the row kernel of level l.
func newConvTGather(t *convT2D, mg int, l isa.Level) *convTGather {
	rows := mg * t.kh * t.kw
	g := convTGather{row: convTGatherRow(l), tpose: convTTranspose(l)}
	g.yStart, g.yOff = convTAxisTaps(t.oh, t.ih, t.kh, t.sh, t.dh, t.ph, t.iw*rows, t.kw*mg)
	g.xStart, g.xOff = convTAxisTaps(t.ow, t.iw, t.kw, t.sw, t.dw, t.pw, rows, mg)
	return &g
}

// run writes rows [oy0, oy1) of Yᵀ (os × mg, row o = oy·ow + ox) from colᵀ.
func (g *convTGather) run(col, yt []float32, mg, ow, oy0, oy1 int) {
	for oy := oy0; oy < oy1; oy++ {
		ys := g.yOff[g.yStart[oy]:g.yStart[oy+1]]
		d := yt[oy*ow*mg:][:ow*mg]
		for j := 0; j < mg; j += 16 {
			g.row(d[j:], col[j:], ys, g.xStart, g.xOff, mg, min(16, mg-j))
		}
	}
}
