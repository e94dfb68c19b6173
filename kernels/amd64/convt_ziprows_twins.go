package amd64

// ConvTZipRowsGo is the twin of ConvTZipRowsAVX512: for r < rows and
// i < n, with s = a for even i and s = b for odd i,
//
//	v = s[r·lds + i/2] + bias
//	v = max(0, v)              when relu ≠ 0 (NaN stays NaN)
//	dst[r·ldd + i] = v
//
// that is, rows of the two column phases of a stride-2 ConvTranspose
// output interleaved, with the bias (and a ReLU) applied. It needs
// len(a) ≥ (rows−1)·lds + ⌈n/2⌉, len(b) ≥ (rows−1)·lds + ⌊n/2⌋ and
// len(dst) ≥ (rows−1)·ldd + n when rows > 0; nothing else of dst is
// written.
func ConvTZipRowsGo(dst, a, b []float32, n, rows, ldd, lds, relu int, bias float32) {
	for r := range rows {
		d := dst[r*ldd:][:n]
		ar, br := a[r*lds:][:(n+1)/2], b[r*lds:][:n/2]
		for i := range d {
			v := ar[i/2]
			if i%2 != 0 {
				v = br[i/2]
			}
			v += bias
			if relu != 0 && v < 0 {
				v = 0
			}
			d[i] = v
		}
	}
}
