package amd64

// Activations understood by the micro-kernel epilogues.
const (
	ActNone = 0 // identity
	ActReLU = 1 // max(0, v), NaN propagates
)

// SgemmTileGo is the reference for every SGEMM micro-kernel: with packed
// operands a[p*mr+i] (A micro-panel, mr rows) and b[p*nr+j] (B micro-panel,
// nr columns) it writes, for i < mr and j < nr,
//
//	v = alpha * Σ_{p<k} a[p*mr+i]*b[p*nr+j] + beta*c[i*ldc+j]
//	v += bias[j]            (when len(bias) > 0)
//	v = act(v)              (ActNone or ActReLU)
//	c[i*ldc+j] = v
//
// When beta == 0, C is not read (it may hold NaN). The sum is accumulated
// in float32 in order of increasing p, like the assembly, so results agree
// up to the rounding of fused multiply-adds.
func SgemmTileGo(mr, nr, k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
	var accBuf [64 * 16]float32
	acc := accBuf[:mr*nr]
	for p := range k {
		ap := a[p*mr : p*mr+mr]
		bp := b[p*nr : p*nr+nr]
		for i, av := range ap {
			row := acc[i*nr : i*nr+nr]
			for j, bv := range bp {
				row[j] += av * bv
			}
		}
	}
	for i := range mr {
		crow := c[i*ldc : i*ldc+nr]
		for j := range nr {
			v := alpha * acc[i*nr+j]
			if beta != 0 {
				v += beta * crow[j]
			}
			if len(bias) > 0 {
				v += bias[j]
			}
			if act == ActReLU && v < 0 {
				v = 0
			}
			crow[j] = v
		}
	}
}

// Sgemm6x64Go is the twin of Sgemm6x64AVX512: SgemmTileGo with mr=6, nr=64.
// It needs len(a) ≥ 6k, len(b) ≥ 64k, len(c) ≥ 5*ldc+64, len(bias) 0 or ≥ 64.
func Sgemm6x64Go(k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
	SgemmTileGo(6, 64, k, a, b, c, ldc, alpha, beta, bias, act)
}

// Sgemm6x16Go is the twin of Sgemm6x16AVX2: SgemmTileGo with mr=6, nr=16.
// It needs len(a) ≥ 6k, len(b) ≥ 16k, len(c) ≥ 5*ldc+16, len(bias) 0 or ≥ 16.
func Sgemm6x16Go(k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
	SgemmTileGo(6, 16, k, a, b, c, ldc, alpha, beta, bias, act)
}

// FMAPeakGo is the twin of the FMAPeak routines: it performs n rounds of
// lanes independent multiply-adds x_l = x_l*y + z (lanes = the routine's
// FLOPs per round / 2) and returns nothing. It exists so that the peak loop
// has a portable counterpart; its speed means nothing.
func FMAPeakGo(n int, lanes int) {
	x := make([]float32, lanes)
	for range n {
		for l := range x {
			x[l] = x[l]*0.5 + 1
		}
	}
	sinkF32 = x[0]
}

var sinkF32 float32
