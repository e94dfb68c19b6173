package amd64

// AttnSoftmaxGo is the twin of AttnSoftmaxAVX512, the softmax of one row
// of any length, of x + add when add is not empty:
//
//	x' = x + add (or x), m = max x' (purego.Max),
//	e[i] = exp(x'[i] - m) (purego.ExpShiftSum), dst[i] = e[i] · (1 / Σ e)
//
// so a row holding NaN, +Inf or only -Inf gives NaN everywhere, as the
// three-pass softmax does; exp(t) is 0 for t ≤ ExpLo as in purego.Exp.
// len(dst) ≥ len(x), len(add) = 0 or ≥ len(x); dst may be x. The
// assembly sums in another order.
func AttnSoftmaxGo(dst, x, add []float32) {
	if len(add) > 0 {
		dst = dst[:len(x)]
		for i, v := range x {
			dst[i] = v + add[i]
		}
		x = dst
	}
	softmaxRowGo(dst, x)
}

// AttnSoftmaxRowsGo is the twin of AttnSoftmaxRowsAVX512: for r < rows,
//
//	dst[r·ldd : r·ldd+n] = AttnSoftmaxGo of x[r·ldx : r·ldx+n]
//	                       plus add[r·ldadd : r·ldadd+n] when add is not empty.
//
// dst may be x (ldd = ldx) or disjoint from it.
func AttnSoftmaxRowsGo(dst []float32, ldd int, x []float32, ldx int, add []float32, ldadd int, n, rows int) {
	for r := range rows {
		var a []float32
		if len(add) > 0 {
			a = add[r*ldadd:][:n]
		}
		AttnSoftmaxGo(dst[r*ldd:][:n], x[r*ldx:][:n], a)
	}
}
