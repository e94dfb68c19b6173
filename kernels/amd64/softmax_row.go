package amd64

import "github.com/nncc/nncc/kernels/vecmath/purego"

// softmaxRowGo is the math of the one-call row softmax (AttnSoftmaxGo
// without an added row):
//
//	m = max x (purego.Max), e[i] = exp(x[i] - m) (purego.ExpShiftSum),
//	dst[i] = e[i] · (1 / Σ e)
//
// len(dst) ≥ len(x); dst may be x.
func softmaxRowGo(dst, x []float32) {
	if len(x) == 0 {
		return
	}
	dst = dst[:len(x)]
	s := purego.ExpShiftSum(dst, x, purego.Max(x))
	inv := 1 / s
	for i := range dst {
		dst[i] *= inv
	}
}
