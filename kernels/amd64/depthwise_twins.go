package amd64

// Dw3x3RowGo is one output row of a 3×3 depthwise (single-channel)
// convolution:
//
//	dst[i] = b + Σ_{ky<3} Σ_{kx<3} k[3·ky+kx] · r_ky[i·stride + kx]   for i < len(dst)
//
// with r_0, r_1, r_2 = r0, r1, r2 the three input rows the window covers,
// stride 1 or 2 and len(k) ≥ 9. When dst is not empty every row must hold
// at least (len(dst)-1)·stride + 3 values. Inputs are not modified.
func Dw3x3RowGo(dst, r0, r1, r2, k []float32, b float32, stride int) {
	k0, k1, k2, k3, k4, k5, k6, k7, k8 := k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8]
	for i := range dst {
		ix := i * stride
		a0, a1, a2 := r0[ix:ix+3:ix+3], r1[ix:ix+3:ix+3], r2[ix:ix+3:ix+3]
		dst[i] = b + k0*a0[0] + k1*a0[1] + k2*a0[2] +
			k3*a1[0] + k4*a1[1] + k5*a1[2] +
			k6*a2[0] + k7*a2[1] + k8*a2[2]
	}
}

// dw3x3RowCheck panics when the operands of a Dw3x3Row routine are too
// short for len(dst) outputs (an internal bug in the caller).
func dw3x3RowCheck(dst, r0, r1, r2, k []float32, stride int) {
	if len(dst) == 0 {
		return
	}
	need := (len(dst)-1)*stride + 3
	if (stride != 1 && stride != 2) || len(k) < 9 || len(r0) < need || len(r1) < need || len(r2) < need {
		panic("BUG: amd64: Dw3x3Row: operands too short or stride not 1/2")
	}
}

// Dw3x3RowsGo is Dw3x3RowGo over rows = len(dst)/n output rows of n
// values from one input plane x with pitch floats per input row and step
// floats between the first input rows of consecutive output rows:
//
//	dst[oy·n + i] = b + Σ_{ky<3} Σ_{kx<3} k[3·ky+kx] · x[oy·step + ky·pitch + i·stride + kx]
//
// for oy < rows, i < n. x must hold (rows-1)·step + 2·pitch + (n-1)·stride + 3
// values when dst is not empty. Inputs are not modified.
func Dw3x3RowsGo(dst, x, k []float32, b float32, n, stride, pitch, step int) {
	dw3x3RowsCheck(dst, x, k, n, stride, pitch, step)
	for oy := 0; n > 0 && oy < len(dst)/n; oy++ {
		r := x[oy*step:]
		Dw3x3RowGo(dst[oy*n:(oy+1)*n], r, r[pitch:], r[2*pitch:], k, b, stride)
	}
}

// dw3x3RowsCheck panics when the operands of a Dw3x3Rows routine are
// inconsistent (an internal bug in the caller).
func dw3x3RowsCheck(dst, x, k []float32, n, stride, pitch, step int) {
	if len(dst) == 0 {
		return
	}
	if n <= 0 || len(dst)%n != 0 || (stride != 1 && stride != 2) || len(k) < 9 || pitch < (n-1)*stride+3 || step < 0 ||
		len(x) < (len(dst)/n-1)*step+2*pitch+(n-1)*stride+3 {
		panic("BUG: amd64: Dw3x3Rows: inconsistent operands")
	}
}
