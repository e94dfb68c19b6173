package amd64

// GemvPanelsGo is the reference for the GEMV panel kernels (width ≤ 64).
// A is packed in panels of width outputs, each k steps of width floats
// (a[p*width*k + q*width + j] is A[p*width+j, q]). For p < panels,
// i < m and j < width it writes
//
//	y[i*ldy + p*width + j] = alpha * Σ_{q<k} a[p*width*k + q*width + j] * x[i*ldx + q]
//	                         + beta * y[i*ldy + p*width + j]
//
// When beta == 0, y is not read (it may hold NaN). It needs
// len(a) ≥ panels*width*k, len(x) ≥ (m-1)*ldx + k and
// len(y) ≥ (m-1)*ldy + panels*width. The sum is accumulated in float32 in
// order of increasing q; the assembly splits it into interleaved partial
// sums, so results agree up to rounding.
func GemvPanelsGo(width, m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) {
	var accBuf [64]float32
	for p := range panels {
		ap := a[p*width*k : (p+1)*width*k]
		for i := range m {
			acc := accBuf[:width]
			clear(acc)
			xi := x[i*ldx : i*ldx+k]
			for q, xv := range xi {
				row := ap[q*width : (q+1)*width]
				for j, av := range row {
					acc[j] += av * xv
				}
			}
			yi := y[i*ldy+p*width : i*ldy+(p+1)*width]
			for j := range yi {
				v := alpha * acc[j]
				if beta != 0 {
					v += beta * yi[j]
				}
				yi[j] = v
			}
		}
	}
}

// GemvPanels64Go is the twin of GemvPanels64AVX512: GemvPanelsGo with
// width 64, for m = 1 or 2 (other m write nothing, like the assembly).
func GemvPanels64Go(m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) {
	if m == 1 || m == 2 {
		GemvPanelsGo(64, m, k, panels, a, x, ldx, y, ldy, alpha, beta)
	}
}

// GemvPanels32Go is the twin of GemvPanels32AVX2: GemvPanelsGo with width
// 32, for m = 1 or 2 (other m write nothing, like the assembly).
func GemvPanels32Go(m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) {
	if m == 1 || m == 2 {
		GemvPanelsGo(32, m, k, panels, a, x, ldx, y, ldy, alpha, beta)
	}
}
