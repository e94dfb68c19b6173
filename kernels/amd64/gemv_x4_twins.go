package amd64

// GemvPanels64x4Go is the twin of GemvPanels64x4AVX512: GemvPanelsGo with
// width 64 and m = 4, that is for p < panels, i < 4 and j < 64
//
//	y[i*ldy + 64p + j] = alpha * Σ_{q<k} a[64kp + 64q + j] * x[i*ldx + q]
//	                     + beta * y[i*ldy + 64p + j]
//
// with y not read when beta == 0. It needs len(a) ≥ 64·panels·k,
// len(x) ≥ 3·ldx + k and len(y) ≥ 3·ldy + 64·panels.
func GemvPanels64x4Go(k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) {
	GemvPanelsGo(64, 4, k, panels, a, x, ldx, y, ldy, alpha, beta)
}
