package codegen

import "github.com/nncc/nncc/ir"

// Decoding a graph makes many small objects (values, nodes, tensors,
// operand lists, shapes); the decoder carves them out of shared chunks
// instead of allocating each one. The objects of one graph live and die
// together, so a chunk being kept alive by one of them costs little.

// slabChunk is the number of elements a chunk holds.
const slabChunk = 64

// minSlabChunk is the smallest chunk (at least slabChunk/4, the largest
// run many carves from a chunk).
const minSlabChunk = slabChunk / 4

// slab hands out elements of T from chunks of chunk elements (slabChunk
// when 0).
type slab[T any] struct {
	buf   []T
	chunk int
}

// newChunk returns a zeroed chunk.
func (s *slab[T]) newChunk() []T {
	if s.chunk == 0 {
		return make([]T, slabChunk)
	}
	return make([]T, s.chunk)
}

// one returns a pointer to a new zero T.
func (s *slab[T]) one() *T {
	if len(s.buf) == 0 {
		s.buf = s.newChunk()
	}
	p := &s.buf[0]
	s.buf = s.buf[1:]
	return p
}

// many returns a new zeroed []T of length and capacity n (appending to it
// reallocates, so it never grows into a neighbour).
func (s *slab[T]) many(n int) []T {
	if n == 0 {
		return []T{}
	}
	if n > slabChunk/4 {
		return make([]T, n)
	}
	if len(s.buf) < n {
		s.buf = s.newChunk()
	}
	out := s.buf[:n:n]
	s.buf = s.buf[n:]
	return out
}

// graphSlabs are the decoder's chunks.
type graphSlabs struct {
	values  slab[ir.Value]
	nodes   slab[ir.Node]
	tensors slab[ir.Tensor]
	refs    slab[*ir.Value]
	dims    slab[ir.Dim]
	ints    slab[int64]
}

// sizeFor sizes the chunks for a graph encoded in n bytes: every element
// takes a few bytes of the encoding, so a small graph gets small chunks
// (allocating and zeroing them is a visible part of loading it).
func (s *graphSlabs) sizeFor(n int) {
	c := min(max(n/32, minSlabChunk), slabChunk)
	s.values.chunk, s.nodes.chunk, s.tensors.chunk = c, c, c
	s.refs.chunk, s.dims.chunk, s.ints.chunk = c, c, c
}
