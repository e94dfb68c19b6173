package kernels

// Epilogues of the float32 convolution: the bias (one value per output
// channel, i.e. per row of Y = W·B) and FusedConv's residual, applied
// without a separate pass over the output.

// convInitC prepares Y (rows×cols) for a product that accumulates onto
// it: Y = bias[row] (+ res) when there is a bias or residual, and returns
// the beta to pass to the SGEMM (1, or 0 when Y is left as it is to be
// overwritten).
func convInitC(y, bias, res []float32, rows, cols int) float32 {
	switch {
	case res != nil && bias != nil:
		for r := range rows {
			b := bias[r]
			dst := y[r*cols : (r+1)*cols]
			src := res[r*cols : (r+1)*cols]
			for i := range dst {
				dst[i] = src[i] + b
			}
		}
	case res != nil:
		copy(y[:rows*cols], res)
	case bias != nil:
		for r := range rows {
			b := bias[r]
			dst := y[r*cols : (r+1)*cols]
			for i := range dst {
				dst[i] = b
			}
		}
	default:
		return 0
	}
	return 1
}

// convTransposeEpi sets rows [r0, r1) of y (rows × cols) to the
// transpose of yt (cols × rows) plus bias[row] and res (either may be
// nil), then max(·, 0) when relu (NaN stays NaN), in blocks that stay in
// L1:
//
//	y[r, c] = yt[c, r] + bias[r] + res[r, c]   for r0 ≤ r < r1, c < cols
//
// Rows outside [r0, r1) are not touched, so threads can share y by rows.
func convTransposeEpi(y, yt, bias, res []float32, rows, cols, r0, r1 int, relu bool) {
	const blk = 32
	for b0 := r0; b0 < r1; b0 += blk {
		b1 := min(b0+blk, r1)
		for c0 := 0; c0 < cols; c0 += blk {
			c1 := min(c0+blk, cols)
			for r := b0; r < b1; r++ {
				var b float32
				if bias != nil {
					b = bias[r]
				}
				dst := y[r*cols+c0 : r*cols+c1]
				src := yt[c0*rows+r:]
				src = src[:(len(dst)-1)*rows+1]
				if res != nil {
					rs := res[r*cols+c0 : r*cols+c1]
					for i := range dst {
						dst[i] = src[i*rows] + b + rs[i]
					}
				} else {
					for i := range dst {
						dst[i] = src[i*rows] + b
					}
				}
				if relu {
					for i, v := range dst {
						if v < 0 {
							dst[i] = 0
						}
					}
				}
			}
		}
	}
}
