package kernels

import (
	"slices"
	"sync/atomic"

	"github.com/nncc/nncc/ir"
)

// planMemo remembers the per-shape plan P a kernel instance made on its
// last Run, keyed by a flat list of integers (the input shapes, and the
// values of the shape-like inputs the plan depends on). Steady-state Runs,
// which see the same shapes every time, thus reuse output shapes, index
// maps and broadcast plans instead of rebuilding (and allocating) them.
//
// It is safe for the concurrent Runs that share a kernel instance: entries
// are immutable once stored, so a plan handed out must never be modified;
// two Runs that miss at once both build a plan and the last one stays.
//
// Keys are built on the caller's stack with memoKey and the append
// helpers below; get only reads the key and put copies it, so a hit
// allocates nothing.
type planMemo[P any] struct {
	p atomic.Pointer[planMemoEntry[P]]
}

type planMemoEntry[P any] struct {
	key  []int64
	plan P
}

// get returns the plan remembered for key, if the last stored key equals it.
func (m *planMemo[P]) get(key []int64) (P, bool) {
	if e := m.p.Load(); e != nil && slices.Equal(e.key, key) {
		return e.plan, true
	}
	var zero P
	return zero, false
}

// put remembers plan for (a copy of) key and returns plan.
func (m *planMemo[P]) put(key []int64, plan P) P {
	m.p.Store(&planMemoEntry[P]{key: slices.Clone(key), plan: plan})
	return plan
}

// lookup returns the plan remembered for key, or builds one with build
// and remembers it. A key that does not describe the plan's inputs (cached
// false: a shape-like input whose values the key could not hold) is
// neither looked up nor stored. build must not keep the key.
func (m *planMemo[P]) lookup(key []int64, cached bool, build func() (P, error)) (P, error) {
	if cached {
		if p, ok := m.get(key); ok {
			return p, nil
		}
	}
	p, err := build()
	if err == nil && cached {
		m.put(key, p)
	}
	return p, err
}

// memoKeyLen is the key length that fits the stack buffer of memoKey;
// longer keys still work but allocate while being built.
const memoKeyLen = 64

// memoKey is a stack buffer for building a planMemo key:
//
//	var kb memoKey
//	k := memoShapes(kb[:0], x.Shape, y.Shape)
type memoKey [memoKeyLen]int64

// memoShape appends shape to key as its rank followed by its dims, so
// that the concatenation of several shapes is unambiguous.
func memoShape(key, shape []int64) []int64 {
	key = append(key, int64(len(shape)))
	return append(key, shape...)
}

// memoShapes appends every shape with memoShape.
func memoShapes(key []int64, shapes ...[]int64) []int64 {
	for _, s := range shapes {
		key = memoShape(key, s)
	}
	return key
}

// memoTensor appends the kind, dtype and shape of t, or -1 when t is
// absent, so that a plan made after checking those is only reused for
// inputs that pass the same checks, and a present and an absent optional
// input never share a key.
func memoTensor(key []int64, t *ir.Tensor) []int64 {
	if t == nil {
		return append(key, -1)
	}
	key = append(key, int64(t.Kind)<<32|int64(uint32(t.DType)))
	return memoShape(key, t.Shape)
}

// memoInts appends the values of an integer input (axes, pads, starts,
// split sizes, ...) after memoTensor's kind, dtype and shape, or -1 when it is absent; ok
// is false when t holds no integers (the caller then does not memoize).
func memoInts(key []int64, t *ir.Tensor) ([]int64, bool) {
	if t == nil {
		return append(key, -1), true
	}
	key = memoTensor(key, t)
	switch d := t.Data.(type) {
	case []int64:
		return append(key, d...), true
	case []int32:
		for _, v := range d {
			key = append(key, int64(v))
		}
		return key, true
	}
	return key, false
}
