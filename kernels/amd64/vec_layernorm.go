package amd64

import (
	"math"

	"github.com/nncc/nncc/kernels/vecmath/purego"
)

// VecLayerNormGo is the twin of VecLayerNormAVX512, one LayerNorm row with
// two-pass float32 statistics:
//
//	mean = Σ x / n (purego.Sum);  v = Σ (x - mean)² / n (purego.SumSqDiff)
//	rs = float32(1 / √float64(v + eps))
//	dst[i] = (x[i] - mean)·rs·scale[i] + bias[i]   (rounded after each operation)
//
// It needs len(x) = n ≥ 1 and len(dst), len(scale), len(bias) ≥ n; dst may
// be x.
func VecLayerNormGo(dst, x, scale, bias []float32, eps float32) {
	n := len(x)
	if n == 0 {
		panic("BUG: VecLayerNormGo: empty row")
	}
	dst, scale, bias = dst[:n], scale[:n], bias[:n]
	mean := purego.Sum(x) / float32(n)
	v := purego.SumSqDiff(x, mean) / float32(n)
	rs := float32(1 / math.Sqrt(float64(v+eps)))
	for i, xv := range x {
		t := xv - mean
		t *= rs
		t *= scale[i]
		dst[i] = t + bias[i]
	}
}
