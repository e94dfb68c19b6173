package amd64

// NCHWcResizeLinearRowGo computes one output row of a bilinear resize of
// 16-channel pixels (the NCHWc block, or any layout whose last axis holds
// 16 channels): r0 and r1 are the two source rows of the vertical taps
// with weights wy0 and wy1, and output pixel o blends source columns
// ix[2o] and ix[2o+1] with weights wx[2o] and wx[2o+1]. For o <
// len(dst)/16 and l < 16, with c(i) = 16·ix[i] + l:
//
//	a = wy0·r0[c(2o)] + wy1·r1[c(2o)]
//	b = wy0·r0[c(2o+1)] + wy1·r1[c(2o+1)]
//	dst[16·o+l] = wx[2o]·a + wx[2o+1]·b
//
// in float32. The assembly fuses each multiply-add, so results agree up to
// rounding (exactly for small-integer data and power-of-two weights).
func NCHWcResizeLinearRowGo(dst, r0, r1 []float32, ix []int32, wx []float32, wy0, wy1 float32) {
	NCHWcResizeLinearRowWidthGo(dst, r0, r1, ix, wx, wy0, wy1, 16)
}

// NCHWcResizeLinearRowWidthGo is NCHWcResizeLinearRowGo for pixels of w
// channels (16 there): the portable path of any block width.
func NCHWcResizeLinearRowWidthGo(dst, r0, r1 []float32, ix []int32, wx []float32, wy0, wy1 float32, w int) {
	for o := range len(dst) / w {
		i0, i1 := int(ix[2*o])*w, int(ix[2*o+1])*w
		w0, w1 := wx[2*o], wx[2*o+1]
		d := dst[w*o : w*o+w]
		a0, a1 := r0[i0:i0+w], r1[i0:i0+w]
		b0, b1 := r0[i1:i1+w], r1[i1:i1+w]
		for l := range d {
			a := wy0*a0[l] + wy1*a1[l]
			b := wy0*b0[l] + wy1*b1[l]
			d[l] = w0*a + w1*b
		}
	}
}
