package kernels

import (
	"reflect"

	"github.com/nncc/nncc/ir"
)

// Kept outputs: an output whose shape the memory planner did not know (a
// dynamic value: the result of an If whose branches disagree on shapes,
// of NonZero, of a Reshape to a computed shape) has no planned buffer.
// When the runtime gives a step's Ctx a Kept slice (one entry per output,
// living as long as the execution frame), Output, OutputUninit and
// SetView reuse what the step made for that output in an earlier Run, so
// that a Run whose shapes repeat allocates nothing. A Ctx without Kept
// (built per call by a test or a folding pass) allocates as before.
//
// A kept tensor, like the arena, belongs to its frame: the next Run of the
// step overwrites it. The runtime copies every value that leaves a frame
// (a Run's outputs, a nested graph's results) when it lives there (see
// KeptOutput.Owns).

// KeptOutput is what one step output keeps between Runs.
type KeptOutput struct {
	// Buf is the last buffer made for the output; Output and
	// OutputUninit return it again for the same dtype and element count.
	Buf *ir.Tensor
	// View is the last header SetView made for the output: a tensor that
	// shares another value's storage under this output's shape.
	View *ir.Tensor
}

// keptBuffer returns output i's kept buffer reshaped to shape when one of
// dtype dt with n elements exists, else nil.
func (c *Ctx) keptBuffer(i int, dt ir.DType, shape []int64, n int) *ir.Tensor {
	if i >= len(c.Kept) {
		return nil
	}
	t := c.Kept[i].Buf
	if t == nil || t.DType != dt || t.Kind != ir.KindTensor || t.Len() != n || dataLen(t.Data) != n {
		return nil
	}
	t.Shape = setDims(t.Shape, shape)
	return t
}

// keep records t as output i's buffer for later Runs (when c keeps any).
func (c *Ctx) keep(i int, t *ir.Tensor) {
	if i < len(c.Kept) {
		c.Kept[i].Buf = t
	}
}

// keptView returns a header for output i sharing src's storage under
// shape: output i's kept header when c keeps one, else a new tensor.
func (c *Ctx) keptView(i int, src *ir.Tensor, shape []int64) *ir.Tensor {
	if i >= len(c.Kept) {
		return &ir.Tensor{DType: src.DType, Shape: append([]int64{}, shape...), Data: src.Data}
	}
	v := c.Kept[i].View
	if v == nil {
		v = &ir.Tensor{}
		c.Kept[i].View = v
	}
	v.DType, v.Data, v.Kind, v.Items = src.DType, src.Data, ir.KindTensor, nil
	v.Shape = setDims(v.Shape, shape)
	return v
}

// Owns reports whether t is this kept output's view header, or its
// storage (or that of any item of t) overlaps the kept buffer's.
func (k *KeptOutput) Owns(t *ir.Tensor) bool {
	if t == nil || (k.Buf == nil && k.View == nil) {
		return false
	}
	if t == k.View || t == k.Buf {
		return true
	}
	if k.Buf != nil && overlaps(t.Data, k.Buf.Data) {
		return true
	}
	for _, it := range t.Items {
		if k.Owns(it) {
			return true
		}
	}
	return false
}

// setDims returns dst holding a copy of shape, reusing dst's storage when
// it has room.
func setDims(dst, shape []int64) []int64 {
	if cap(dst) < len(shape) {
		return append([]int64{}, shape...)
	}
	dst = dst[:len(shape)]
	copy(dst, shape)
	return dst
}

// dataLen returns the length of a storage slice (0 for nil).
func dataLen(s any) int {
	if s == nil {
		return 0
	}
	return reflect.ValueOf(s).Len()
}

// storageRange returns the address range of a storage slice.
func storageRange(s any) (lo, hi uintptr) {
	if s == nil {
		return 0, 0
	}
	v := reflect.ValueOf(s)
	if v.Kind() != reflect.Slice || v.Len() == 0 {
		return 0, 0
	}
	lo = v.Pointer()
	return lo, lo + uintptr(v.Len())*v.Type().Elem().Size()
}

// overlaps reports whether two storage slices share memory.
func overlaps(a, b any) bool {
	alo, ahi := storageRange(a)
	blo, bhi := storageRange(b)
	return alo < ahi && blo < bhi && alo < bhi && blo < ahi
}

// elementCount is ir.CheckedNumElements without the error: the element
// count of shape, and whether every dimension is non-negative and the
// count at most limit. shape does not escape.
func elementCount(shape []int64, limit int64) (int64, bool) {
	n := int64(1)
	for _, d := range shape {
		if d < 0 || (d != 0 && n > limit/d) {
			return 0, false
		}
		n *= d
	}
	return n, n <= limit
}
