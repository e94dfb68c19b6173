package arm64

// Activations understood by the micro-kernel epilogues (same values as
// package amd64).
const (
	ActNone = 0 // identity
	ActReLU = 1 // max(0, v), NaN propagates
)

// Sgemm8x12Go is the twin of Sgemm8x12NEON. With packed operands
// a[p*8+i] and b[p*12+j] it writes, for i < 8 and j < 12,
//
//	v = alpha * Σ_{p<k} a[p*8+i]*b[p*12+j] + beta*c[i*ldc+j]
//	v += bias[j]            (when len(bias) > 0)
//	v = act(v)              (ActNone or ActReLU)
//	c[i*ldc+j] = v
//
// C is not read when beta == 0. It needs len(a) ≥ 8k, len(b) ≥ 12k,
// len(c) ≥ 7*ldc+12 and len(bias) 0 or ≥ 12.
func Sgemm8x12Go(k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
	const mr, nr = 8, 12
	var acc [mr * nr]float32
	for p := range k {
		ap := a[p*mr : p*mr+mr]
		bp := b[p*nr : p*nr+nr]
		for i, av := range ap {
			for j, bv := range bp {
				acc[i*nr+j] += av * bv
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

// FMAPeakNEONFlops is the FLOP count of one round of FMAPeakNEON.
const FMAPeakNEONFlops = 24 * 4 * 2

// FMAPeakGo is the twin of FMAPeakNEON: n rounds of 96 independent
// multiply-adds x_l = x_l*0.5 + 1. Its speed means nothing.
func FMAPeakGo(n int) {
	var x [FMAPeakNEONFlops / 2]float32
	for range n {
		for l := range x {
			x[l] = x[l]*0.5 + 1
		}
	}
	sinkF32 = x[0]
}

var sinkF32 float32
