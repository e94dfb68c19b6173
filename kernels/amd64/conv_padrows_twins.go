package amd64

// ConvPadRowsGo is the twin of ConvPadRowsAVX512: for r < rows and
// j < wq
//
//	dst[r·wq + j] = src[r·w + j − left]   when left ≤ j < left + w
//	dst[r·wq + j] = 0                     otherwise
//
// that is, rows of w values copied into rows of wq with left zeros before
// and wq − left − w after them (the zero-bordered input a convolution
// reads in place). It needs left + w ≤ wq, len(src) ≥ rows·w and
// len(dst) ≥ rows·wq.
func ConvPadRowsGo(dst, src []float32, rows, w, wq, left int) {
	for r := range rows {
		d := dst[r*wq:][:wq]
		clear(d[:left])
		copy(d[left:left+w], src[r*w:][:w])
		clear(d[left+w:])
	}
}
