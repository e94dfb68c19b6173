package sgemm

import (
	"fmt"

	"github.com/nncc/nncc/kernels/isa"
)

// PackedA is an m×k left operand (typically constant weights) packed once
// for one ISA level's micro-kernel: micro-panels of mr rows, each stored
// k×mr contiguously (data[t*k*mr + p*mr + i] = op(A)[t*mr+i, p], zero past
// row m). Any k block of a panel is one contiguous micro-panel, so
// SgemmSource streams it without copying. Immutable; safe to share.
type PackedA struct {
	kern *kernel
	m, k int
	data []float32
}

// M returns the number of rows of the packed operand.
func (pa *PackedA) M() int { return pa.m }

// K returns the inner dimension of the packed operand.
func (pa *PackedA) K() int { return pa.k }

// Level returns the ISA level whose kernel the layout is for.
func (pa *PackedA) Level() isa.Level { return pa.kern.level }

// Len returns the number of float32 values held (for memory accounting).
func (pa *PackedA) Len() int { return len(pa.data) }

// Data returns the packed values (PackedALen(Level(), M(), K()) of them),
// for storing in an artifact; the caller must not modify them.
func (pa *PackedA) Data() []float32 { return pa.data }

// PanelShape returns the micro-kernel tile of level l: mr rows of C (the
// panel height of PackedA) by nr columns (the strip width of PackedB and
// of BSource.PackStrip). Levels without a kernel in this build use the
// portable kernel's shape.
func PanelShape(l isa.Level) (mr, nr int) {
	k := kernelFor(l)
	return k.mr, k.nr
}

// packedALen is the length of the data of an m×k PackedA for kern.
func packedALen(kern *kernel, m, k int) int {
	return (m + kern.mr - 1) / kern.mr * kern.mr * k
}

// packedBLen is the length of the data of a k×n PackedB for kern.
func packedBLen(kern *kernel, k, n int) int {
	return (n + kern.nr - 1) / kern.nr * kern.nr * k
}

// PackALevel packs op(A) (m×k; A stored k×m when transA, row stride lda)
// for the kernel of level l (the portable kernel when l has none). It is
// meant to run once at compile time on constant weights.
func PackALevel(l isa.Level, transA bool, m, k int, a []float32, lda int) *PackedA {
	if m < 0 || k < 0 {
		panic(fmt.Sprintf("sgemm: PackA negative size m=%d k=%d", m, k))
	}
	kern := kernelFor(l)
	if m == 0 || k == 0 {
		// Nothing to pack; m (or k) need not be bounded by a's data, so no
		// check buffer is sized by it.
		return &PackedA{kern: kern, m: m, k: k}
	}
	p := problem{transA: transA, m: m, n: 1, k: k, alpha: 1, a: a, lda: lda, b: make([]float32, k), ldb: 1, c: make([]float32, m), ldc: 1}
	p.check()
	mr := kern.mr
	panels := (m + mr - 1) / mr
	pa := &PackedA{kern: kern, m: m, k: k, data: make([]float32, packedALen(kern, m, k))}
	if k > 0 {
		packA(transA, a, lda, 0, m, 0, k, mr, 0, panels, pa.data)
	}
	return pa
}

// PackedAFromData rebuilds a PackedA from values previously returned by
// Data for the same level and sizes, without repacking (data is kept, not
// copied). It fails when the level has no kernel on this CPU and build or
// when the length does not match.
func PackedAFromData(l isa.Level, m, k int, data []float32) (*PackedA, error) {
	kern, err := storedKernel(l, m, k)
	if err != nil {
		return nil, err
	}
	if want := packedALen(kern, m, k); len(data) != want {
		return nil, fmt.Errorf("sgemm: packed A %d×%d for %v needs %d values, have %d", m, k, l, want, len(data))
	}
	return &PackedA{kern: kern, m: m, k: k, data: data}, nil
}

// PackedBFromData rebuilds a PackedB from values previously returned by
// Data for the same level and sizes, without repacking (data is kept, not
// copied). It fails when the level has no kernel on this CPU and build or
// when the length does not match.
func PackedBFromData(l isa.Level, k, n int, data []float32) (*PackedB, error) {
	kern, err := storedKernel(l, k, n)
	if err != nil {
		return nil, err
	}
	if want := packedBLen(kern, k, n); len(data) != want {
		return nil, fmt.Errorf("sgemm: packed B %d×%d for %v needs %d values, have %d", k, n, l, want, len(data))
	}
	return &PackedB{kern: kern, k: k, n: n, data: data}, nil
}

// storedKernel returns the kernel of level l for restoring a stored
// operand of size r×c, or an error when this CPU and build cannot run it.
func storedKernel(l isa.Level, r, c int) (*kernel, error) {
	if r < 0 || c < 0 {
		return nil, fmt.Errorf("sgemm: packed operand has negative size %d×%d", r, c)
	}
	kern := kernelFor(l)
	if kern.level != l || (l != isa.Generic && !isa.Has(l)) {
		return nil, fmt.Errorf("sgemm: operand packed for %v, which this CPU or build cannot run", l)
	}
	return kern, nil
}
