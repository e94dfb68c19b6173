package sgemm

import "github.com/nncc/nncc/internal/recycle"

// scratch holds the packing buffers of one thread of one call; calls take
// one from a recycle.Pool and give it back, so steady-state calls allocate
// nothing.
type scratch struct {
	a    []float32 // packed A block: mc×kc in mr-row micro-panels
	b    []float32 // packed B block: kc×nc in nr-column strips
	edge []float32 // an mr×nr tile plus nr bias values

	// The problem (single-threaded calls copy it here so that the caller's
	// value does not escape) and the block being computed.
	prob problem
	blk  block
}

var scratchPool = recycle.Pool{New: func() any { return new(scratch) }}

// grow returns buf with length n, reallocating only when it is too small.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}
