package vecmath

import (
	"fmt"
	"math"
)

// LayerNorm normalises one row: with mean μ = Sum(x)/n and variance
// σ² = SumSqDiff(x, μ)/n (two passes, both in float32 with Sum's partial
// sums, so no catastrophic cancellation as in E[x²]-E[x]²),
//
//	dst[i] = (x[i] - μ)·r·scale[i] + bias[i],   r = 1/√(σ² + eps)
//
// scale and bias may be nil (1 and 0); otherwise they have len(x)
// elements. dst may be x. It returns μ and r (the Mean and InvStdDev
// outputs of ONNX LayerNormalization).
//
// Accuracy: μ has Sum's error bound; σ² is computed from the rounded μ,
// which adds only n·δμ² (second order), so σ² has relative error about
// (n/lanes + 8)·2^-24 and each output about 3 ulp more than that.
func LayerNorm(dst, x, scale, bias []float32, eps float32) (mean, invStd float32) {
	sameLen("LayerNorm", dst, x)
	n := len(x)
	if (scale != nil && len(scale) != n) || (bias != nil && len(bias) != n) {
		panic(fmt.Sprintf("vecmath: LayerNorm: row %d, scale %d, bias %d", n, len(scale), len(bias)))
	}
	if n == 0 {
		return float32(math.NaN()), float32(math.NaN())
	}
	im := cur()
	mean = im.sum(x) / float32(n)
	v := im.sumSqDiff(x, mean) / float32(n)
	invStd = float32(1 / math.Sqrt(float64(v+eps)))
	normAffine(dst, x, scale, bias, mean, invStd)
	return mean, invStd
}

// normAffine writes dst[i] = (x[i]-mean)·r·scale[i] + bias[i], rounding
// after each operation in that order. Rows of normAffineVector elements or
// more take one vector pass per operation (the row stays in L1), which
// rounds identically to the scalar loop where the compiler does not fuse
// multiply-adds (amd64).
func normAffine(dst, x, scale, bias []float32, mean, r float32) {
	x = x[:len(dst)]
	if len(dst) >= normAffineVector {
		im := cur()
		im.binaryScalar(opSub, kindVS, dst, x, mean)
		im.binaryScalar(opMul, kindVS, dst, dst, r)
		if scale != nil {
			Binary(Mul, dst, dst, scale[:len(dst)])
		}
		if bias != nil {
			Binary(Add, dst, dst, bias[:len(dst)])
		}
		return
	}
	switch {
	case scale != nil && bias != nil:
		scale, bias = scale[:len(dst)], bias[:len(dst)]
		for i, v := range x {
			dst[i] = (v-mean)*r*scale[i] + bias[i]
		}
	case scale != nil:
		scale = scale[:len(dst)]
		for i, v := range x {
			dst[i] = (v - mean) * r * scale[i]
		}
	case bias != nil:
		bias = bias[:len(dst)]
		for i, v := range x {
			dst[i] = (v-mean)*r + bias[i]
		}
	default:
		for i, v := range x {
			dst[i] = (v - mean) * r
		}
	}
}

// normAffineVector is the row length from which normAffine uses vector
// passes.
const normAffineVector = 32

// RMSNorm normalises one row by its root mean square:
// dst[i] = x[i]·r·scale[i], r = 1/√(SumSquares(x)/n + eps). scale may be
// nil. It returns r.
func RMSNorm(dst, x, scale []float32, eps float32) (invRMS float32) {
	sameLen("RMSNorm", dst, x)
	if scale != nil && len(scale) != len(x) {
		panic(fmt.Sprintf("vecmath: RMSNorm: row %d, scale %d", len(x), len(scale)))
	}
	if len(x) == 0 {
		return float32(math.NaN())
	}
	ms := cur().sumSqDiff(x, 0) / float32(len(x))
	invRMS = float32(1 / math.Sqrt(float64(ms+eps)))
	normAffine(dst, x, scale, nil, 0, invRMS)
	return invRMS
}
