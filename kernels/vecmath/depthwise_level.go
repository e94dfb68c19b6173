package vecmath

// dwRowFunc computes one output row of a 3×3 depthwise convolution over
// the interior columns: dst[i] = b + Σ k[3ky+kx]·r_ky[i·stride+kx] (the
// math of amd64.Dw3x3RowGo), each row holding (len(dst)-1)·stride+3 values.
type dwRowFunc func(dst, r0, r1, r2, k []float32, b float32, stride int)

// DepthwiseConv2D is DepthwiseConv2D at r's level: the 3×3 stride-1/2
// interior rows run that level's row kernel (assembly on AVX2 and
// AVX-512), everything else the shared Go code.
func (r *Routines) DepthwiseConv2D(dst, x, wts, bias []float32, n, c, mult int, w *Window2D) {
	depthwiseConv2D(dwRowFor(r.level), dst, x, wts, bias, n, c, mult, w)
}

// dw3x3RowGo is the portable dwRowFunc.
func dw3x3RowGo(dst, r0, r1, r2, k []float32, b float32, stride int) {
	k0, k1, k2, k3, k4, k5, k6, k7, k8 := k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8]
	for i := range dst {
		ix := i * stride
		a0, a1, a2 := r0[ix:ix+3:ix+3], r1[ix:ix+3:ix+3], r2[ix:ix+3:ix+3]
		dst[i] = b + k0*a0[0] + k1*a0[1] + k2*a0[2] +
			k3*a1[0] + k4*a1[1] + k5*a1[2] +
			k6*a2[0] + k7*a2[1] + k8*a2[2]
	}
}
