package amd64

// ConvTTransposeGo is the twin of ConvTTransposeAVX512: for
// m0 ≤ m < m1 and o < os, with b = bias[m] (0 when bias is empty),
//
//	v = yt[o·mg + m] + b
//	v = max(0, v)          when relu ≠ 0 (NaN stays NaN)
//	y[m·os + o] = v
//
// that is, planes m0..m1 of Y set from its transpose Yᵀ (os × mg) with
// the bias: the store of a ConvTranspose's gather col2im. It needs
// len(yt) ≥ (os−1)·mg + m1, len(y) ≥ m1·os and len(bias) ≥ m1 unless
// bias is empty; nothing else of y is written.
func ConvTTransposeGo(y, yt, bias []float32, os, mg, m0, m1, relu int) {
	for m := m0; m < m1; m++ {
		var b float32
		if len(bias) > 0 {
			b = bias[m]
		}
		d := y[m*os:][:os]
		for o := range d {
			v := yt[o*mg+m] + b
			if relu != 0 && v < 0 {
				v = 0
			}
			d[o] = v
		}
	}
}
