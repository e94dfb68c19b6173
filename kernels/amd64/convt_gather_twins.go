package amd64

import "math"

// ConvTGatherRowGo is the twin of ConvTGatherRowAVX512: for
// ox < len(xStart)−1, with xs = xOff[xStart[ox]:xStart[ox+1]], and
// j < lanes
//
//	dst[ox·ld + j] = Σ_{a in ys} Σ_{b in xs} col[a + b + j]
//
// summed in that order from −0 (so a single run is copied exactly), or
// +0 when ys or xs is empty: one output row of the gather form of a
// ConvTranspose's col2im (kernels/convt_gather.go), lanes ≤ 16 channels
// at a time. It needs lanes ≤ 16, xStart ascending, len(dst) ≥
// (len(xStart)−2)·ld + lanes and every a + b + lanes ≤ len(col).
func ConvTGatherRowGo(dst, col []float32, ys, xStart, xOff []int, ld, lanes int) {
	negZero := float32(math.Copysign(0, -1))
	for ox := range len(xStart) - 1 {
		d := dst[ox*ld:][:lanes]
		xs := xOff[xStart[ox]:xStart[ox+1]]
		if len(ys) == 0 || len(xs) == 0 {
			clear(d)
			continue
		}
		for j := range d {
			d[j] = negZero
		}
		for _, a := range ys {
			for _, b := range xs {
				src := col[a+b:][:lanes]
				for j := range d {
					d[j] += src[j]
				}
			}
		}
	}
}
