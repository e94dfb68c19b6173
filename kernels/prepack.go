package kernels

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/nncc/nncc/kernels/sgemm"
	"github.com/nncc/nncc/kernels/vecmath"
)

// Prepacking: a builder that transforms constant weights into the layout
// its inner loop wants (sgemm panels, Winograd-domain filters, blocked
// channels) does it through Build.Prepacked, naming the transform with a
// key that fixes every parameter of the layout. When the runtime compiles
// an artifact it records each transform of a constant, and the artifact
// stores the results; loading hands them back, so building a plan from an
// artifact copies and packs nothing.
//
// A stored transform is found by the identity of its source: the memory
// of the constant's data (a constant's tensor is shared, never copied,
// between a graph and its clones, and is immutable) plus the key. Equal
// source memory and key therefore guarantee equal content, and a constant
// a pass rewrote simply misses and is transformed again.

// Prepacks supplies and records build-time transforms of constant data.
// Implementations are safe for concurrent use.
type Prepacks interface {
	// Lookup returns the transform named key of exactly src, if held.
	Lookup(src []float32, key string) ([]float32, bool)
	// Record keeps a transform made at build time.
	Record(src []float32, key string, packed []float32)
}

// Prepacked returns the transform of src named key: the stored one when
// b.Prepacks holds it, else make() (which b.Prepacks then records). key
// must name the transform and every parameter of its layout (sizes,
// strides, level); make must be a pure function of src and those. The
// result is shared: never modify it.
func (b *Build) Prepacked(src []float32, key string, make func() []float32) []float32 {
	if b.Prepacks == nil || len(src) == 0 {
		return make()
	}
	if d, ok := b.Prepacks.Lookup(src, key); ok {
		return d
	}
	d := make()
	b.Prepacks.Record(src, key, d)
	return d
}

// PackB packs op(B) (k×n; B stored n×k when transB, row stride ldb) for
// the sgemm kernel of b.Level, reusing the panels of a compiled artifact
// when it holds them. Kernels call it on constant weights in place of
// sgemm.PackB.
func (b *Build) PackB(transB bool, k, n int, src []float32, ldb int) *sgemm.PackedB {
	key := fmt.Sprintf("sgemm.B/%s/t%v/k%d/n%d/ld%d", sgemm.Layout(b.Level), transB, k, n, ldb)
	var pb *sgemm.PackedB
	data := b.Prepacked(src, key, func() []float32 {
		pb = sgemm.PackBLevel(b.Level, transB, k, n, src, ldb)
		return pb.Data()
	})
	if pb != nil {
		return pb
	}
	pb, err := sgemm.PackedBFromData(b.Level, k, n, data)
	if err != nil {
		// A stored panel whose size does not fit its own key: repack.
		return sgemm.PackBLevel(b.Level, transB, k, n, src, ldb)
	}
	return pb
}

// PackA packs op(A) (m×k; A stored k×m when transA, row stride lda) for
// the sgemm kernel of b.Level, like PackB, for constant left operands.
func (b *Build) PackA(transA bool, m, k int, src []float32, lda int) *sgemm.PackedA {
	key := fmt.Sprintf("sgemm.A/%s/t%v/m%d/k%d/ld%d", sgemm.Layout(b.Level), transA, m, k, lda)
	var pa *sgemm.PackedA
	data := b.Prepacked(src, key, func() []float32 {
		pa = sgemm.PackALevel(b.Level, transA, m, k, src, lda)
		return pa.Data()
	})
	if pa != nil {
		return pa
	}
	pa, err := sgemm.PackedAFromData(b.Level, m, k, data)
	if err != nil {
		return sgemm.PackALevel(b.Level, transA, m, k, src, lda)
	}
	return pa
}

// Vec returns the vector routines of b.Level.
func (b *Build) Vec() *vecmath.Routines { return vecmath.For(b.Level) }

// PrepackStore is the Prepacks of a session: transforms loaded from an
// artifact, and (when recording) every transform made while compiling.
type PrepackStore struct {
	mu      sync.Mutex
	m       map[prepackKey][]float32
	record  bool
	entries []PrepackEntry
	hits    int // Lookups answered
	misses  int // Lookups not answered (the kernel transformed itself)
}

// PrepackEntry is one stored transform.
type PrepackEntry struct {
	Src  []float32 // the constant data it was made from
	Key  string
	Data []float32
}

type prepackKey struct {
	src *float32
	n   int
	key string
}

// NewPrepackStore returns an empty store; with record set it keeps every
// transform Record is given (for writing an artifact).
func NewPrepackStore(record bool) *PrepackStore {
	return &PrepackStore{m: map[prepackKey][]float32{}, record: record}
}

func keyOf(src []float32, key string) prepackKey {
	return prepackKey{src: unsafe.SliceData(src), n: len(src), key: key}
}

// Add makes a transform available to Lookup (used when loading).
func (s *PrepackStore) Add(src []float32, key string, data []float32) {
	if len(src) == 0 {
		return
	}
	s.mu.Lock()
	s.m[keyOf(src, key)] = data
	s.mu.Unlock()
}

// Lookup implements Prepacks.
func (s *PrepackStore) Lookup(src []float32, key string) ([]float32, bool) {
	s.mu.Lock()
	d, ok := s.m[keyOf(src, key)]
	if ok {
		s.hits++
	} else {
		s.misses++
	}
	s.mu.Unlock()
	return d, ok
}

// Stats returns how many Lookups found a stored transform and how many
// did not (and so transformed at build time).
func (s *PrepackStore) Stats() (hits, misses int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits, s.misses
}

// Record implements Prepacks: a recording store keeps the transform (once
// per source and key) and serves it to later builds.
func (s *PrepackStore) Record(src []float32, key string, packed []float32) {
	if !s.record {
		return
	}
	k := keyOf(src, key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.m[k]; dup {
		return
	}
	s.m[k] = packed
	s.entries = append(s.entries, PrepackEntry{Src: src, Key: key, Data: packed})
}

// Entries returns the recorded transforms in the order they were made.
func (s *PrepackStore) Entries() []PrepackEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]PrepackEntry(nil), s.entries...)
}

// Len returns the number of transforms the store holds.
func (s *PrepackStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
