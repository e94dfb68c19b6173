package amd64

// ConvTPhase6x64Go is the twin of ConvTPhase6x64AVX512: for t < tiles,
// i < 6 and j < 64
//
//	c[i*ldc + 64t + j] = Σ_{p<k} a[6p+i] · x[offs[p] + 64t + j]
//
// (C is written, never read; the sum runs in order of p). A is packed as
// for the 6×64 SGEMM kernel and B's row p is the run of x from offs[p]:
// the zero-padded input of a ConvTranspose read at each tap's shift. It
// needs len(a) ≥ 6k, len(offs) ≥ k, len(x) ≥ offs[p] + 64·tiles for
// every p < k, and len(c) ≥ 5·ldc + 64·tiles when tiles > 0.
func ConvTPhase6x64Go(k, tiles int, a, x []float32, offs []int, c []float32, ldc int) {
	var acc [6 * 64]float32
	for t := range tiles {
		clear(acc[:])
		for p := range k {
			ap := a[6*p : 6*p+6]
			bp := x[offs[p]+64*t:][:64]
			for i, av := range ap {
				row := acc[i*64 : i*64+64]
				for j, bv := range bp {
					row[j] += av * bv
				}
			}
		}
		for i := range 6 {
			copy(c[i*ldc+64*t:][:64], acc[i*64:i*64+64])
		}
	}
}

// ConvTPhase6x32Go is the twin of ConvTPhase6x32AVX512: for i < 6 and
// j < 32
//
//	c[i*ldc + j] = Σ_{p<k} a[6p+i] · x[offs[p] + j]
//
// (C is written, never read; the sum runs in order of p). It needs
// len(a) ≥ 6k, len(offs) ≥ k, len(x) ≥ offs[p] + 32 for every p < k and
// len(c) ≥ 5·ldc + 32.
func ConvTPhase6x32Go(k int, a, x []float32, offs []int, c []float32, ldc int) {
	var acc [6 * 32]float32
	for p := range k {
		ap := a[6*p : 6*p+6]
		bp := x[offs[p]:][:32]
		for i, av := range ap {
			row := acc[i*32 : i*32+32]
			for j, bv := range bp {
				row[j] += av * bv
			}
		}
	}
	for i := range 6 {
		copy(c[i*ldc:][:32], acc[i*32:i*32+32])
	}
}
