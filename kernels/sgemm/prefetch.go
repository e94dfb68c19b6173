package sgemm

// Prefetching the next B block
//
// Packing a B block from a large plain or transposed B waits on memory:
// its rows are far apart (often 4 KB and more), so the hardware
// prefetchers barely help, and on 1024³ the packing took 2-4% of the
// product. While the kernels compute the tiles of one block, each row
// tile therefore also prefetches a slice of the region of B that the
// next block will pack, so that packing finds it in L2.

// prefetchBBytes is the largest B block (kc×nc floats, in bytes) whose
// successor is prefetched: the current packed block and the next one's
// source must share L2 (1-2 MB on the machines the kernel table is
// sized for) with the streams of A and C. A variable so that tuning
// tests can compare.
var prefetchBBytes = 384 << 10

// bRegion is a region of op(B)'s storage: rows rows of cols floats from
// b[0], row stride ld.
type bRegion struct {
	b              []float32
	ld, rows, cols int
}

// nextB returns the region of B that packing block (pc, kc, jc, nc) of
// the loop after the current one reads, or an empty region when that
// block is not packed from B (prepacked, packed from a BSource, read in
// place) or too large to prefetch. kc and nc are the balanced block
// sizes of rect; the block coordinates are clipped to k and j1.
func (p *problem) nextB(direct bool, pc, kcb, jc, ncb, j1 int) bRegion {
	if p.b == nil || p.pb != nil || p.src != nil || direct || pc >= p.k || jc >= j1 {
		return bRegion{}
	}
	kc, nc := min(kcb, p.k-pc), min(ncb, j1-jc)
	if kc*nc*4 > prefetchBBytes {
		return bRegion{}
	}
	if p.transB {
		off := jc*p.ldb + pc
		return bRegion{b: p.b[off:], ld: p.ldb, rows: nc, cols: kc}
	}
	off := pc*p.ldb + jc
	return bRegion{b: p.b[off:], ld: p.ldb, rows: kc, cols: nc}
}

// prefetchTiles is over how many of the last row tiles of a block the
// next block's B is prefetched: late enough that the stream of A through
// L2 does not evict it again before packing. A variable for tuning.
var prefetchTiles = 16

// prefetch issues the part of the region that row tile i of n prefetches:
// the last prefetchTiles tiles take nearly equal slices of its rows.
func (r *bRegion) prefetch(i, n int) {
	if r.rows == 0 || prefetchRowsArch == nil {
		return
	}
	if t := min(n, prefetchTiles); i >= n-t {
		i, n = i-(n-t), t
	} else {
		return
	}
	per := (r.rows + n - 1) / n
	r0 := i * per
	r1 := min(r.rows, r0+per)
	if r0 >= r1 {
		return
	}
	prefetchRowsArch(r.b[r0*r.ld:], r.ld, r1-r0, r.cols)
}
