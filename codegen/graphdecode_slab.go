package codegen

import "github.com/nncc/nncc/ir"

// Decoding a graph makes many small objects (values, nodes, tensors,
// operand lists, shapes); the decoder carves them out of shared chunks
// instead of allocating each one. The objects of one graph live and die
// together, so a chunk being kept alive by one of them costs little.

// slabChunk is the largest chunk, in elements.
const slabChunk = 64

// firstSlabChunk is the first chunk of a slab: chunks double from it up
// to slabChunk, so a small graph allocates and zeroes little (the graph
// section's size says little about the graph loaded first: the stored
// plans after it are decoded later, if at all).
const firstSlabChunk = 4

// slab hands out elements of T from chunks of chunk elements (the next
// chunk's size; firstSlabChunk when 0).
type slab[T any] struct {
	buf   []T
	chunk int
}

// newChunk returns a zeroed chunk of at least n elements.
func (s *slab[T]) newChunk(n int) []T {
	c := max(s.chunk, firstSlabChunk)
	s.chunk = min(2*c, slabChunk)
	return make([]T, max(c, n))
}

// one returns a pointer to a new zero T.
func (s *slab[T]) one() *T {
	if len(s.buf) == 0 {
		s.buf = s.newChunk(1)
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
		s.buf = s.newChunk(n)
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
	attrs   slab[ir.Attr]
}

// sizeFor sizes the first chunks for a graph encoded in n bytes: every
// element takes a few bytes of the encoding, so n/256 elements is a low
// estimate of a graph's count of each kind (see firstSlabChunk).
func (s *graphSlabs) sizeFor(n int) {
	c := min(max(n/256, firstSlabChunk), slabChunk)
	s.values.chunk, s.nodes.chunk, s.tensors.chunk = c, c, c
	s.refs.chunk, s.dims.chunk, s.ints.chunk, s.attrs.chunk = c, c, c, c
}
