package kernels

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/kernels/isa"
)

// TestBuildLevelPicksVariants: what a kernel takes from its Build follows
// b.Level, whatever isa.Current() says.
func TestBuildLevelPicksVariants(t *testing.T) {
	w := make([]float32, 40*24)
	for i := range w {
		w[i] = float32(i%7) - 3
	}
	for _, l := range isa.Supported() {
		b := &Build{Level: l}
		require.Equal(t, l, b.Vec().Level())
		pb := b.PackB(false, 40, 24, w, 24)
		require.Equal(t, l, pb.Level(), "level %v", l)
	}
}

// TestPrepackStore: a recording store serves and records transforms by
// source memory and key; a loaded store answers Lookups without making
// anything, and a different slice of the same values misses.
func TestPrepackStore(t *testing.T) {
	w := make([]float32, 16*8)
	for i := range w {
		w[i] = float32(i)
	}
	rec := NewPrepackStore(true)
	b := &Build{Level: isa.Generic, Prepacks: rec}
	made := 0
	mk := func() []float32 { made++; return append([]float32{}, w...) }
	first := b.Prepacked(w, "copy", mk)
	again := b.Prepacked(w, "copy", mk)
	require.Equal(t, 1, made)
	require.Same(t, &first[0], &again[0])
	b.Prepacked(w[8:], "copy", mk) // another source: made again
	require.Equal(t, 2, made)
	require.Len(t, rec.Entries(), 2)

	pb := b.PackB(true, 8, 16, w, 8)
	loaded := NewPrepackStore(false)
	for _, e := range rec.Entries() {
		loaded.Add(e.Src, e.Key, e.Data)
	}
	lb := &Build{Level: isa.Generic, Prepacks: loaded}
	got := lb.PackB(true, 8, 16, w, 8)
	require.Same(t, &pb.Data()[0], &got.Data()[0], "the stored panel is reused, not repacked")
	copyOfW := append([]float32{}, w...)
	other := lb.PackB(true, 8, 16, copyOfW, 8)
	require.NotSame(t, &pb.Data()[0], &other.Data()[0])
	require.Equal(t, pb.Data(), other.Data())
	hits, misses := loaded.Stats()
	require.Equal(t, 1, hits)
	require.Equal(t, 1, misses)
}
