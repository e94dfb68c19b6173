package onnx

import (
	"encoding/binary"
	"unsafe"

	"github.com/nncc/nncc/ir"
)

// Zero-copy raw data: on a little-endian host, the raw_data of a numeric
// tensor already is its in-memory representation, so the decoded tensor
// can use those bytes in place when they are suitably aligned. The bytes
// are then shared with the decoded model (protobuf's own copy for ONNX
// files; the caller's buffer for .nnc artifacts, whose weights are laid
// out 64-byte aligned for exactly this), and must not be modified.

var hostLittleEndian = func() bool {
	var b [2]byte
	binary.NativeEndian.PutUint16(b[:], 1)
	return b[0] == 1
}()

// aliasRaw returns raw viewed as the storage slice of n elements of dt,
// or nil when it cannot be viewed in place.
func aliasRaw(dt ir.DType, n int, raw []byte) any {
	if !hostLittleEndian || n == 0 || len(raw) == 0 {
		return nil
	}
	size := dt.Size()
	if size == 0 || len(raw) != n*size || uintptr(unsafe.Pointer(&raw[0]))%uintptr(size) != 0 {
		return nil
	}
	p := unsafe.Pointer(&raw[0])
	switch dt {
	case ir.Float32:
		return unsafe.Slice((*float32)(p), n)
	case ir.Float64:
		return unsafe.Slice((*float64)(p), n)
	case ir.Int32:
		return unsafe.Slice((*int32)(p), n)
	case ir.Int64:
		return unsafe.Slice((*int64)(p), n)
	case ir.Int16:
		return unsafe.Slice((*int16)(p), n)
	case ir.Uint16:
		return unsafe.Slice((*uint16)(p), n)
	case ir.Uint32:
		return unsafe.Slice((*uint32)(p), n)
	case ir.Uint64:
		return unsafe.Slice((*uint64)(p), n)
	case ir.Int8:
		return unsafe.Slice((*int8)(p), n)
	case ir.Uint8:
		return unsafe.Slice((*uint8)(p), n)
	case ir.Float16:
		return unsafe.Slice((*ir.F16)(p), n)
	case ir.BFloat16:
		return unsafe.Slice((*ir.BF16)(p), n)
	}
	return nil
}
