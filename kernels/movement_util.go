package kernels

import (
	"fmt"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/ir"
)

// Helpers shared by the shape and data-movement kernels (movement_*.go).
//
// Data-movement ops do not look at element values, only at positions, so
// they work on every dtype through mvSlice: a typed slice wrapped so that
// copies between two slices of the same element type need no per-dtype
// code in the op. The type assertion inside each method is paid once per
// call, so callers move contiguous runs where they can.

// mvSlice is a storage slice of some element type: the tensor's Data
// value itself (already boxed, so wrapping it allocates nothing) and the
// table of moves for its element type.
type mvSlice struct {
	raw any
	ops *mvOps
}

// mvOps are the moves of one element type, on storage slices boxed in
// an any. Their src must hold the same element type as dst.
type mvOps struct {
	len  func(s any) int
	copy func(dst any, d int, src any, s, n int)
	take func(dst any, d int, src any, idx []int)
	fill func(dst any, d, n int, src any, s int)
}

// Len returns the number of elements.
func (t mvSlice) Len() int { return t.ops.len(t.raw) }

// Copy copies src[s:s+n] to the receiver at [d:d+n]; src must hold the
// same element type.
func (t mvSlice) Copy(d int, src mvSlice, s, n int) { t.ops.copy(t.raw, d, src.raw, s, n) }

// Take sets dst[d+i] = src[idx[i]] for every i.
func (t mvSlice) Take(d int, src mvSlice, idx []int) { t.ops.take(t.raw, d, src.raw, idx) }

// Fill sets the receiver's [d:d+n] to src[s].
func (t mvSlice) Fill(d, n int, src mvSlice, s int) { t.ops.fill(t.raw, d, n, src.raw, s) }

// Raw returns the underlying slice.
func (t mvSlice) Raw() any { return t.raw }

func mvLen[T any](s any) int { return len(s.([]T)) }

func mvCopy[T any](dst any, d int, src any, s, n int) {
	copy(dst.([]T)[d:d+n], src.([]T)[s:s+n])
}

func mvTake[T any](dst any, d int, src any, idx []int) {
	s := src.([]T)
	o := dst.([]T)[d : d+len(idx)]
	for i, j := range idx {
		o[i] = s[j]
	}
}

func mvFill[T any](dst any, d, n int, src any, s int) {
	v := src.([]T)[s]
	o := dst.([]T)[d : d+n]
	for i := range o {
		o[i] = v
	}
}

// mvOpsOf returns the move table of element type T.
func mvOpsOf[T any]() *mvOps {
	return &mvOps{len: mvLen[T], copy: mvCopy[T], take: mvTake[T], fill: mvFill[T]}
}

var (
	mvOpsF32  = mvOpsOf[float32]()
	mvOpsF64  = mvOpsOf[float64]()
	mvOpsF16  = mvOpsOf[ir.F16]()
	mvOpsBF16 = mvOpsOf[ir.BF16]()
	mvOpsI8   = mvOpsOf[int8]()
	mvOpsI16  = mvOpsOf[int16]()
	mvOpsI32  = mvOpsOf[int32]()
	mvOpsI64  = mvOpsOf[int64]()
	mvOpsU8   = mvOpsOf[uint8]()
	mvOpsU16  = mvOpsOf[uint16]()
	mvOpsU32  = mvOpsOf[uint32]()
	mvOpsU64  = mvOpsOf[uint64]()
	mvOpsBool = mvOpsOf[bool]()
	mvOpsStr  = mvOpsOf[string]()
	mvOpsC64  = mvOpsOf[complex64]()
	mvOpsC128 = mvOpsOf[complex128]()
)

// mvOf wraps a storage slice. It panics with BUG on a non-storage value:
// tensors reaching kernels always hold one of the storage slice types.
// Wrapping a tensor's Data allocates nothing.
func mvOf(data any) mvSlice {
	var ops *mvOps
	switch data.(type) {
	case []float32:
		ops = mvOpsF32
	case []float64:
		ops = mvOpsF64
	case []ir.F16:
		ops = mvOpsF16
	case []ir.BF16:
		ops = mvOpsBF16
	case []int8:
		ops = mvOpsI8
	case []int16:
		ops = mvOpsI16
	case []int32:
		ops = mvOpsI32
	case []int64:
		ops = mvOpsI64
	case []uint8:
		ops = mvOpsU8
	case []uint16:
		ops = mvOpsU16
	case []uint32:
		ops = mvOpsU32
	case []uint64:
		ops = mvOpsU64
	case []bool:
		ops = mvOpsBool
	case []string:
		ops = mvOpsStr
	case []complex64:
		ops = mvOpsC64
	case []complex128:
		ops = mvOpsC128
	default:
		panic(fmt.Sprintf("BUG: mvOf(%T)", data))
	}
	return mvSlice{raw: data, ops: ops}
}

// mvStrides returns row-major element strides of shape.
func mvStrides(shape []int64) []int {
	st := make([]int, len(shape))
	mvStridesInto(st, shape)
	return st
}

// mvStridesInto writes the row-major strides of shape into st.
func mvStridesInto(st []int, shape []int64) {
	s := 1
	for i := len(shape) - 1; i >= 0; i-- {
		st[i] = s
		s *= int(shape[i])
	}
}

// mvStackRank is the rank up to which movement kernels keep their
// per-call geometry in arrays on the stack.
const mvStackRank = 8

// mvStackOr returns stack[:n] when stack (an array on the caller's stack)
// is long enough, else a new slice of n.
func mvStackOr[T any](stack []T, n int) []T {
	if n <= len(stack) {
		return stack[:n]
	}
	return make([]T, n)
}

// prod returns the product of shape[lo:hi].
func mvProd(shape []int64, lo, hi int) int {
	n := 1
	for _, d := range shape[lo:hi] {
		n *= int(d)
	}
	return n
}

// mvAxis maps a possibly negative axis into [0, rank).
func mvAxis(axis int64, rank int) (int, error) {
	a := axis
	if a < 0 {
		a += int64(rank)
	}
	if a < 0 || a >= int64(rank) {
		return 0, fmt.Errorf("axis %d is out of range for rank %d", axis, rank)
	}
	return int(a), nil
}

// mvTensor checks that input i is a present tensor.
func mvTensor(c *Ctx, in []*ir.Tensor, i int) (*ir.Tensor, error) {
	if i >= len(in) || in[i] == nil {
		return nil, c.Errorf("input %d is missing", i)
	}
	if in[i].Kind != ir.KindTensor {
		return nil, c.Errorf("input %d is a %v, expected a tensor", i, in[i].Kind)
	}
	return in[i], nil
}

// mvInts reads integer input i (shape, axes, pads, ...) as int64s.
// ok is false when the input is omitted.
func mvInts(c *Ctx, in []*ir.Tensor, i int) (v []int64, ok bool, err error) {
	if i >= len(in) || in[i] == nil {
		return nil, false, nil
	}
	v, err = in[i].Int64s()
	if err != nil {
		return nil, true, c.Errorf("input %d: %v", i, err)
	}
	return v, true, nil
}

// slicePool recycles growable scratch slices of T that a kernel would
// otherwise allocate per call (a slice handed to a callee that the
// compiler cannot see through escapes to the heap).
type slicePool[T any] struct{ p recycle.Pool }

// get returns a pooled buffer and its first n elements (contents
// unspecified); the caller puts buf back when done with s.
func (sp *slicePool[T]) get(n int) (buf *[]T, s []T) {
	buf, _ = sp.p.Get().(*[]T)
	if buf == nil {
		buf = new([]T)
	}
	if cap(*buf) < n {
		*buf = make([]T, n)
	}
	return buf, (*buf)[:n]
}

// put returns buf to the pool.
func (sp *slicePool[T]) put(buf *[]T) { sp.p.Put(buf) }

// mvEach calls fn with every multi-index of shape in row-major order
// (the same slice, updated in place) and the flat position.
func mvEach(shape []int64, fn func(idx []int64, flat int)) {
	n := ir.NumElements(shape)
	idx := make([]int64, len(shape))
	for f := 0; f < n; f++ {
		fn(idx, f)
		for d := len(shape) - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < shape[d] {
				break
			}
			idx[d] = 0
		}
	}
}

// mvSameInts reports whether two int64 slices are equal.
func mvSameInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// registerMovement registers one builder for several ops of the default domain.
func registerMovement(b Builder, ops ...string) {
	for _, op := range ops {
		Register("", op, b)
	}
}

// mvScalar returns a one-element storage slice of dtype dt holding v
// (converted like a C cast; bool is v != 0). Types without a numeric
// conversion here (strings, float8, complex) get an error.
func mvScalar(dt ir.DType, v float64) (any, error) {
	switch dt {
	case ir.Float32:
		return []float32{float32(v)}, nil
	case ir.Float64:
		return []float64{v}, nil
	case ir.Float16:
		return []ir.F16{ir.NewFloat16(float32(v))}, nil
	case ir.BFloat16:
		return []ir.BF16{ir.NewBFloat16(float32(v))}, nil
	case ir.Int8:
		return []int8{int8(v)}, nil
	case ir.Int16:
		return []int16{int16(v)}, nil
	case ir.Int32:
		return []int32{int32(v)}, nil
	case ir.Int64:
		return []int64{int64(v)}, nil
	case ir.Uint8:
		return []uint8{uint8(v)}, nil
	case ir.Uint16:
		return []uint16{uint16(v)}, nil
	case ir.Uint32:
		return []uint32{uint32(v)}, nil
	case ir.Uint64:
		return []uint64{uint64(v)}, nil
	case ir.Bool:
		return []bool{v != 0}, nil
	case ir.Complex64:
		return []complex64{complex(float32(v), 0)}, nil
	case ir.Complex128:
		return []complex128{complex(v, 0)}, nil
	}
	return nil, fmt.Errorf("no numeric value %g for dtype %v", v, dt)
}
