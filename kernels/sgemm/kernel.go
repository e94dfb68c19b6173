package sgemm

import "github.com/nncc/nncc/kernels/isa"

// tileFunc is the micro-kernel signature (see amd64.SgemmTileGo for the
// math): an mr×nr tile of C from packed panels a[p*mr+i] and b[p*nr+j].
type tileFunc func(k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int)

// strideFunc is a micro-kernel reading its B micro-panel with row stride
// ldb (b[p*ldb+j]) instead of nr, so that a plain B is used in place.
type strideFunc func(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32, act int)

// genFunc is a micro-kernel reading A with general strides
// (A[i, p] = a[i*rsa + p*csa]) and B with row stride ldb: it serves a
// packed A micro-panel (rsa 1, csa mr) and a plain or transposed A read in
// place, with a packed or in-place B. It computes tiles adjacent tiles of
// C (same A, B strips bnext floats apart) per call; see
// amd64.SgemmTilesGenGo for the math.
type genFunc func(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)

// kernel is one row of the kernel table: a micro-kernel and the blocking
// that suits the caches of the machines that level runs on.
type kernel struct {
	level  isa.Level
	mr, nr int
	fn     tileFunc
	fnS    strideFunc // nil: B is always packed
	fnG    genFunc    // nil: A is always packed; else used for every tile
	kc     int        // k block: the A micro-panel mr×kc stays in L1
	nc     int        // column block: the B block kc×nc stays in L2
	mc     int        // row block: bounds the packed A buffer

	// fnRows[r], when present, is fnG for exactly r < mr rows: a partial
	// last row panel of r rows runs on it in place of fnG on a
	// zero-padded copy of each tile (nil: the padded copy).
	fnRows []genFunc
	// fnCols[v], when present, is fnG for the first v*colUnit < nr
	// columns of a tile: a partial last column strip of c columns runs on
	// fnCols[ceil(c/colUnit)] (on the zero-padded copy of the tile) in
	// place of all nr columns.
	fnCols  []genFunc
	colUnit int

	// fnD, when present, is fnG running down a column of tiles: tile t
	// reads the A panel at a[t*bnext:] (bnext is the distance of the A
	// panels) and writes rows [t*mr, t*mr+mr) of C, all with the same B
	// micro-panel and bias. rect then runs products of k ≥ kD in the
	// column order (down.go) with k blocks of kcD, row blocks of mcD and
	// column blocks of nc.
	fnD          genFunc
	kD, kcD, mcD int
}

// ncFor returns the column block for k blocks of kc steps: nc, widened
// when kc is shorter than the table's (a product with k < kc) to as many
// whole strips as keep the B block at its kc×nc floats. A short-k product
// then runs each row panel over many strips in one kernel call, with its
// A panel in L1, instead of repeating call, setup and A reads per strip
// (AVX-512, an LSTM's input projections 100×512×32 and 100×512×128:
// 80.5 → 91.4% and 93.3 → 97.2% of the peak, TestTuneS12Wide).
func (k *kernel) ncFor(kc int) int {
	if kc <= 0 || kc >= k.kc {
		return k.nc
	}
	return max(k.nc, k.kc*k.nc/kc/k.nr*k.nr)
}

// rowKernel returns the general kernel of a row panel of rows ≤ mr rows:
// fnG for a whole panel, fnRows[rows] for a partial one, or nil.
func (k *kernel) rowKernel(rows int) genFunc {
	if rows == k.mr {
		return k.fnG
	}
	if rows < len(k.fnRows) {
		return k.fnRows[rows]
	}
	return nil
}

// colKernel returns the kernel of a partial tile of cols < nr columns
// (kernel.fnCols), or nil for fnG over all nr columns.
func (k *kernel) colKernel(cols int) genFunc {
	if k.colUnit == 0 {
		return nil
	}
	if v := (cols + k.colUnit - 1) / k.colUnit; v < len(k.fnCols) {
		return k.fnCols[v]
	}
	return nil
}

// generic is the portable kernel, used when no SIMD level is selected.
var generic = kernel{level: isa.Generic, mr: 4, nr: 4, fn: tile4x4, kc: 256, nc: 1024, mc: 1024}

// kernelFor returns the kernel table row for level l.
func kernelFor(l isa.Level) *kernel {
	for i := range archKernels {
		if archKernels[i].level == l {
			return &archKernels[i]
		}
	}
	return &generic
}

// current returns the kernel of the selected level.
func current() *kernel { return kernelFor(isa.Current()) }
