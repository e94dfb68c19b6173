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
	convTPhase6Go(64, k, tiles, a, x, offs, c, ldc)
}

// convTPhase6Go is the twins' loop for tiles of w columns: for t < tiles,
// i < 6 and j < w, c[i*ldc + wt + j] = Σ_{p<k} a[6p+i] · x[offs[p] + wt + j].
func convTPhase6Go(w, k, tiles int, a, x []float32, offs []int, c []float32, ldc int) {
	var buf [6 * 64]float32
	acc := buf[:6*w]
	for t := range tiles {
		clear(acc)
		for p := range k {
			ap := a[6*p : 6*p+6]
			bp := x[offs[p]+w*t:][:w]
			for i, av := range ap {
				row := acc[i*w : i*w+w]
				for j, bv := range bp {
					row[j] += av * bv
				}
			}
		}
		for i := range 6 {
			copy(c[i*ldc+w*t:][:w], acc[i*w:i*w+w])
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
	convTPhase6Go(32, k, 1, a, x, offs, c, ldc)
}
