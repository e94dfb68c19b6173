package amd64

// NCHWcGatherGo writes 16-lane pixels from planes: for every pixel p <
// len(dst)/16,
//
//	dst[16·p + l] = src[p + idx[l]]   for l < lanes
//	dst[16·p + l] = 0                 for lanes <= l < 16
//
// With idx[l] = l·HW it is ReorderToNCHWc of one block of channels (the
// padding channels zero).
func NCHWcGatherGo(dst, src []float32, idx *[16]int32, lanes int) {
	for p := range len(dst) / 16 {
		d := dst[16*p : 16*p+16]
		for l := range lanes {
			d[l] = src[p+int(idx[l])]
		}
		clear(d[lanes:])
	}
}
