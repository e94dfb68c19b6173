package amd64

import "github.com/nncc/nncc/kernels/vecmath/purego"

// VecSoftmax64Go is the twin of VecSoftmax64AVX512, the softmax of one row
// of at most 64 elements:
//
//	m = max x (purego.Max), e[i] = exp(x[i] - m) (purego.ExpShiftSum),
//	dst[i] = e[i] · (1 / Σ e)
//
// so a row holding NaN, +Inf or only -Inf gives NaN everywhere, as the
// three-pass softmax does. len(x) ≤ 64 and len(dst) ≥ len(x); dst may be x.
func VecSoftmax64Go(dst, x []float32) {
	if len(x) > 64 {
		panic("BUG: VecSoftmax64Go: row longer than 64")
	}
	softmaxRowGo(dst, x)
}

// VecSoftmax128Go is the twin of VecSoftmax128AVX512, the softmax of one
// row of 65 to 128 elements, with VecSoftmax64Go's math.
func VecSoftmax128Go(dst, x []float32) {
	if len(x) <= 64 || len(x) > 128 {
		panic("BUG: VecSoftmax128Go: row not of 65 to 128 elements")
	}
	softmaxRowGo(dst, x)
}

// softmaxRowGo is the math of the one-call softmax kernels.
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
