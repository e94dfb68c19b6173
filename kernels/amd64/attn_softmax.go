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
