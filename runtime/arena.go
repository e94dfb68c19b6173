package runtime

import (
	"fmt"
	"unsafe"

	"github.com/nncc/nncc/ir"
)

// newArena returns a zeroed byte slice of n bytes whose start is 64-byte
// aligned.
func newArena(n int64) []byte {
	if n == 0 {
		return nil
	}
	raw := make([]uint64, (n+64)/8+8)
	b := unsafe.Slice((*byte)(unsafe.Pointer(&raw[0])), len(raw)*8)
	off := (64 - int(uintptr(unsafe.Pointer(&b[0]))%64)) % 64
	return b[off : off+int(n)]
}

// arenaView makes a tensor of dtype d and shape whose storage is arena
// bytes starting at off.
func arenaView(arena []byte, off int64, d ir.DType, shape []int64) *ir.Tensor {
	n := ir.NumElements(shape)
	t := &ir.Tensor{DType: d, Shape: shape}
	if n == 0 {
		t.Data = ir.MakeSlice(d, 0)
		return t
	}
	p := unsafe.Pointer(&arena[off])
	switch d {
	case ir.Float32:
		t.Data = unsafe.Slice((*float32)(p), n)
	case ir.Float64:
		t.Data = unsafe.Slice((*float64)(p), n)
	case ir.Float16:
		t.Data = unsafe.Slice((*ir.F16)(p), n)
	case ir.BFloat16:
		t.Data = unsafe.Slice((*ir.BF16)(p), n)
	case ir.Int8, ir.Int4, ir.Int2:
		t.Data = unsafe.Slice((*int8)(p), n)
	case ir.Int16:
		t.Data = unsafe.Slice((*int16)(p), n)
	case ir.Int32:
		t.Data = unsafe.Slice((*int32)(p), n)
	case ir.Int64:
		t.Data = unsafe.Slice((*int64)(p), n)
	case ir.Uint8, ir.Uint4, ir.Uint2, ir.Float8E4M3FN, ir.Float8E4M3FNUZ, ir.Float8E5M2,
		ir.Float8E5M2FNUZ, ir.Float8E8M0, ir.Float4E2M1:
		t.Data = unsafe.Slice((*uint8)(p), n)
	case ir.Uint16:
		t.Data = unsafe.Slice((*uint16)(p), n)
	case ir.Uint32:
		t.Data = unsafe.Slice((*uint32)(p), n)
	case ir.Uint64:
		t.Data = unsafe.Slice((*uint64)(p), n)
	case ir.Bool:
		t.Data = unsafe.Slice((*bool)(p), n)
	case ir.Complex64:
		t.Data = unsafe.Slice((*complex64)(p), n)
	case ir.Complex128:
		t.Data = unsafe.Slice((*complex128)(p), n)
	default:
		panic(fmt.Sprintf("BUG: arena view of %v", d))
	}
	return t
}

// dataRange returns the address range of a tensor's storage.
func dataRange(t *ir.Tensor) (lo, hi uintptr) {
	if t == nil || t.Data == nil {
		return 0, 0
	}
	var p unsafe.Pointer
	var n int
	switch s := t.Data.(type) {
	case []float32:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)*4
		}
	case []float64:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)*8
		}
	case []ir.F16:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)*2
		}
	case []ir.BF16:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)*2
		}
	case []int8:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)
		}
	case []int16:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)*2
		}
	case []int32:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)*4
		}
	case []int64:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)*8
		}
	case []uint8:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)
		}
	case []uint16:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)*2
		}
	case []uint32:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)*4
		}
	case []uint64:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)*8
		}
	case []bool:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)
		}
	case []complex64:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)*8
		}
	case []complex128:
		if len(s) > 0 {
			p, n = unsafe.Pointer(&s[0]), len(s)*16
		}
	}
	if p == nil {
		return 0, 0
	}
	return uintptr(p), uintptr(p) + uintptr(n)
}

// aliases reports whether t's storage (or that of any item) overlaps arena.
func aliases(t *ir.Tensor, arena []byte) bool {
	if len(arena) == 0 || t == nil {
		return false
	}
	alo := uintptr(unsafe.Pointer(&arena[0]))
	ahi := alo + uintptr(len(arena))
	if lo, hi := dataRange(t); lo < ahi && alo < hi {
		return true
	}
	for _, it := range t.Items {
		if aliases(it, arena) {
			return true
		}
	}
	return false
}
