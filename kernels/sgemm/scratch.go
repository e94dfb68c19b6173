package sgemm

import "sync"

// scratch holds the packing buffers of one call; calls take one from a
// sync.Pool and give it back, so steady-state calls allocate nothing.
type scratch struct {
	a    []float32 // packed A block: mc×kc in mr-row micro-panels
	b    []float32 // packed B block: kc×nc in nr-column strips
	edge []float32 // per part: an mr×nr tile plus nr bias values

	// The problem and block being computed, and the loop bodies handed to
	// the pool, bound once to this scratch so that calls do not allocate
	// closures.
	prob      problem
	blk       block
	packFn    func(lo, hi int)
	computeFn func(lo, hi int)
}

var scratchPool = sync.Pool{New: func() any {
	s := new(scratch)
	s.packFn = func(lo, hi int) { s.blk.pack(lo, hi) }
	s.computeFn = func(lo, hi int) {
		for q := lo; q < hi; q++ {
			s.blk.compute(q)
		}
	}
	return s
}}

// grow returns buf with length n, reallocating only when it is too small.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}
