package vecmath

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
	return current().LayerNorm(dst, x, scale, bias, eps)
}

// normAffine writes dst[i] = (x[i]-mean)·rs·scale[i] + bias[i], rounding
// after each operation in that order. Rows of normAffineVector elements or
// more take one vector pass per operation (the row stays in L1), which
// rounds identically to the scalar loop where the compiler does not fuse
// multiply-adds (amd64).
func (r *Routines) normAffine(dst, x, scale, bias []float32, mean, rs float32) {
	x = x[:len(dst)]
	if len(dst) >= normAffineVector {
		r.binaryScalar(opSub, kindVS, dst, x, mean)
		r.binaryScalar(opMul, kindVS, dst, dst, rs)
		if scale != nil {
			r.Binary(Mul, dst, dst, scale[:len(dst)])
		}
		if bias != nil {
			r.Binary(Add, dst, dst, bias[:len(dst)])
		}
		return
	}
	switch {
	case scale != nil && bias != nil:
		scale, bias = scale[:len(dst)], bias[:len(dst)]
		for i, v := range x {
			dst[i] = (v-mean)*rs*scale[i] + bias[i]
		}
	case scale != nil:
		scale = scale[:len(dst)]
		for i, v := range x {
			dst[i] = (v - mean) * rs * scale[i]
		}
	case bias != nil:
		bias = bias[:len(dst)]
		for i, v := range x {
			dst[i] = (v-mean)*rs + bias[i]
		}
	default:
		for i, v := range x {
			dst[i] = (v - mean) * rs
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
	return current().RMSNorm(dst, x, scale, eps)
}
