package qgemm

import (
	"fmt"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/kernels/isa"
)

// Source produces the activations B (K×N unsigned bytes) in column
// blocks.
type Source interface {
	// Rows writes dst[p·ld + j] = B[p, j0 + j] for p < K and j < cols,
	// and nothing else of dst.
	Rows(dst []uint8, ld, j0, cols int)
}

// Pool runs the iterations [0, n) of a loop body in contiguous chunks,
// possibly on several goroutines (kernels.Pool's method set).
type Pool interface {
	For(n, grain int, fn func(lo, hi int))
	Threads() int
}

// blockBytes bounds a block's interleaved columns of B (K rounded up to 4
// taps × block columns), so that the block stays in the L2 cache while
// every panel of W's rows runs over it.
const blockBytes = 192 << 10

// maxBlock bounds a block's columns (the scratch of short K).
const maxBlock = 2048

// serialWork is the product size (multiply-adds) below which Compute
// does not hand blocks to the pool.
const serialWork = 1 << 18

// Compute writes y[m·ldy + j] = Σ_{k<K} (B[k, j] − xz)·(W[m, k] − wz[m])
// (wrapping int32; see the package doc) for m < w.M and j < n, with the
// kernel of level l (Has(l), or the Go twins). xz is the activations'
// zero point (0…255). Nothing else of y is written; B is read through
// src, which the threads of pool call concurrently for distinct blocks.
func Compute(l isa.Level, w *Weights, src Source, n int, xz int32, y []int32, ldy int, pool Pool) error {
	if xz < 0 || xz > 255 {
		return fmt.Errorf("qgemm: activation zero point %d outside 0…255", xz)
	}
	if n < 0 || w.M > 0 && n > 0 && (ldy < n || len(y) < (w.M-1)*ldy+n) {
		return fmt.Errorf("qgemm: output of %d for %d×%d with row stride %d", len(y), w.M, n, ldy)
	}
	if w.M == 0 || n == 0 {
		return nil
	}
	j := jobs.Get().(*job)
	defer j.release()
	j.k, j.w, j.src, j.n, j.y, j.ldy = kernelFor(l), w, src, n, y, ldy
	j.rowAdd = grow(j.rowAdd, len(w.rowSum))
	for r, s := range w.rowSum {
		j.rowAdd[r] = -xz * s
	}
	kp := 4 * w.K4
	j.nc = min(maxBlock, max(NR, blockBytes/max(kp, 1)/NR*NR))
	threads := 1
	if pool != nil && w.M*w.K*n >= serialWork {
		threads = pool.Threads()
	}
	if threads > 1 && (n+j.nc-1)/j.nc < 3*threads {
		j.nc = max(NR, (n+3*threads-1)/(3*threads)+NR-1) / NR * NR
	}
	blocks := (n + j.nc - 1) / j.nc
	if threads > 1 && blocks > 1 {
		pool.For(blocks, 1, j.fn)
	} else {
		j.blocks(0, blocks)
	}
	return nil
}

// job is one Compute call, pooled with its loop body bound once (so
// handing it to the pool allocates nothing).
type job struct {
	k      *kernel
	w      *Weights
	src    Source
	n, nc  int
	y      []int32
	ldy    int
	rowAdd []int32 // −xz·rowSum, per row
	fn     func(lo, hi int)
}

var jobs = recycle.Pool{New: func() any {
	j := new(job)
	j.fn = j.blocks
	return j
}}

// release clears the call's operands and returns j to the pool.
func (j *job) release() {
	j.w, j.src, j.y, j.k = nil, nil, nil, nil
	jobs.Put(j)
}

// scratch is one thread's block buffers: B's rows, B interleaved, and
// the block's column sums.
type scratch struct {
	rows, packed []uint8
	colSum       []int32
}

var scratches = recycle.Pool{New: func() any { return new(scratch) }}

// blocks runs the column blocks [lo, hi).
func (j *job) blocks(lo, hi int) {
	s := scratches.Get().(*scratch)
	for b := lo; b < hi; b++ {
		j.block(s, b)
	}
	scratches.Put(s)
}

// block gathers block b's columns of B, packs them in panels of NR
// columns with their sums, and runs the tile kernel over every panel of
// MR rows of W (W's panel stays in L1 while the block's columns stream
// from L2).
func (j *job) block(s *scratch, b int) {
	w, k := j.w, j.k
	j0 := b * j.nc
	cols := min(j.nc, j.n-j0)
	ld := (cols + NR - 1) / NR * NR
	kp := 4 * w.K4
	s.rows = grow(s.rows, kp*ld)
	s.packed = grow(s.packed, kp*ld)
	s.colSum = grow(s.colSum, ld)
	t := s.rows[:kp*ld]
	j.src.Rows(t, ld, j0, cols)
	if cols < ld {
		for p := range w.K {
			clear(t[p*ld+cols : (p+1)*ld])
		}
	}
	clear(t[w.K*ld:])
	panels := ld / NR
	for jp := range panels {
		k.pack(s.packed[jp*kp*NR:(jp+1)*kp*NR], t[jp*NR:], ld, w.K4, s.colSum[jp*NR:(jp+1)*NR])
	}
	wp := w.K4 * MR * 4
	for mp := 0; mp*MR < w.M; mp++ {
		rows := min(MR, w.M-mp*MR)
		a := w.panels[mp*wp : (mp+1)*wp]
		ra, cm := j.rowAdd[mp*MR:(mp+1)*MR], w.colMul[mp*MR:(mp+1)*MR]
		y := j.y[mp*MR*j.ldy+j0:]
		for jp := range panels {
			c := min(NR, cols-jp*NR)
			k.tile(w.K4, a, s.packed[jp*kp*NR:(jp+1)*kp*NR], y[jp*NR:], j.ldy, rows, c, ra, cm, s.colSum[jp*NR:(jp+1)*NR])
		}
	}
}

// grow returns s resized to n, reallocated only when too short.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
