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
	NCHWcLaneCopyWidthGo(dst, src, lo, hi, shift, 16)
}

// NCHWcLaneCopyWidthGo is NCHWcLaneCopyGo for pixels of w lanes (16
// there): the portable path of any block width.
func NCHWcLaneCopyWidthGo(dst, src []float32, lo, hi, shift, w int) {
	for p := range len(src) / w {
		s := src[w*p : w*p+w]
		d := dst[w*p : w*p+w]
		for l := lo; l < hi; l++ {
			d[l+shift] = s[l]
		}
	}
}
