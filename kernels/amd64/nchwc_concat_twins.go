package amd64

// NCHWcLaneCopyGo moves channels between 16-lane pixels (NCHWc blocks of
// 16): for every pixel p < len(src)/16 and lane l in [lo, hi),
//
//	dst[16·p + l + shift] = src[16·p + l]
//
// and no other element of dst is written. It is the lane-shifting copy of
// a channel Concat whose inputs' channel counts are not multiples of the
// block.
func NCHWcLaneCopyGo(dst, src []float32, lo, hi, shift int) {
	for p := range len(src) / 16 {
		s := src[16*p : 16*p+16]
		d := dst[16*p : 16*p+16]
		for l := lo; l < hi; l++ {
			d[l+shift] = s[l]
		}
	}
}
