package sgemm

// tile4x4 is the portable micro-kernel: with a[p*4+i] and b[p*4+j],
//
//	c[i*ldc+j] = act(alpha * Σ_{p<k} a[p*4+i]*b[p*4+j] + beta*c[i*ldc+j] + bias[j])
//
// for i, j < 4, reading C only when beta != 0 and adding bias only when
// len(bias) > 0. Sixteen scalar accumulators stay in registers.
func tile4x4(k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
	var c00, c01, c02, c03, c10, c11, c12, c13 float32
	var c20, c21, c22, c23, c30, c31, c32, c33 float32
	a = a[:4*k]
	b = b[:4*k]
	for p := 0; p < len(a); p += 4 {
		ap := a[p : p+4 : p+4]
		bp := b[p : p+4 : p+4]
		a0, a1, a2, a3 := ap[0], ap[1], ap[2], ap[3]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	acc := [4][4]float32{
		{c00, c01, c02, c03},
		{c10, c11, c12, c13},
		{c20, c21, c22, c23},
		{c30, c31, c32, c33},
	}
	for i := range 4 {
		row := c[i*ldc : i*ldc+4 : i*ldc+4]
		for j := range 4 {
			v := alpha * acc[i][j]
			if beta != 0 {
				v += beta * row[j]
			}
			if len(bias) > 0 {
				v += bias[j]
			}
			if act == int(ActReLU) && v < 0 {
				v = 0
			}
			row[j] = v
		}
	}
}
