package gemv

// panelsGeneric is the portable panel kernel for any width ≤ 64 (the math
// of amd64.GemvPanelsGo, written for speed in plain Go): m rows of x
// (any m ≥ 0) against panels full panels of A.
func panelsGeneric(width, m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) {
	var accBuf [64]float32
	acc := accBuf[:width]
	for p := range panels {
		ap := a[p*width*k : (p+1)*width*k]
		for i := range m {
			clear(acc)
			xi := x[i*ldx : i*ldx+k]
			for q, xv := range xi {
				row := ap[q*width : q*width+width]
				row = row[:len(acc)]
				for j := range acc {
					acc[j] += row[j] * xv
				}
			}
			yi := y[i*ldy+p*width : i*ldy+p*width+width]
			yi = yi[:len(acc)]
			if beta == 0 {
				for j, v := range acc {
					yi[j] = alpha * v
				}
				continue
			}
			for j, v := range acc {
				yi[j] = alpha*v + beta*yi[j]
			}
		}
	}
}
