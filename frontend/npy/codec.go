package npy

import (
	"encoding/binary"
	"errors"
	"math"
	"reflect"

	"github.com/nncc/nncc/ir"
)

// decode converts n elements of raw data in the given byte order.
func decode(dt ir.DType, o binary.ByteOrder, raw []byte, n int) any {
	switch dt {
	case ir.Bool:
		out := make([]bool, n)
		for i := range out {
			out[i] = raw[i] != 0
		}
		return out
	case ir.Int8:
		out := make([]int8, n)
		for i := range out {
			out[i] = int8(raw[i])
		}
		return out
	case ir.Uint8:
		return append([]uint8{}, raw[:n]...)
	case ir.Int16:
		return get16[int16](o, raw, n)
	case ir.Uint16:
		return get16[uint16](o, raw, n)
	case ir.Float16:
		return get16[ir.F16](o, raw, n)
	case ir.Int32:
		return get32[int32](o, raw, n)
	case ir.Uint32:
		return get32[uint32](o, raw, n)
	case ir.Int64:
		return get64[int64](o, raw, n)
	case ir.Uint64:
		return get64[uint64](o, raw, n)
	case ir.Float32:
		out := make([]float32, n)
		for i := range out {
			out[i] = math.Float32frombits(o.Uint32(raw[4*i:]))
		}
		return out
	case ir.Float64:
		out := make([]float64, n)
		for i := range out {
			out[i] = math.Float64frombits(o.Uint64(raw[8*i:]))
		}
		return out
	case ir.Complex64:
		out := make([]complex64, n)
		for i := range out {
			out[i] = complex(math.Float32frombits(o.Uint32(raw[8*i:])), math.Float32frombits(o.Uint32(raw[8*i+4:])))
		}
		return out
	case ir.Complex128:
		out := make([]complex128, n)
		for i := range out {
			out[i] = complex(math.Float64frombits(o.Uint64(raw[16*i:])), math.Float64frombits(o.Uint64(raw[16*i+8:])))
		}
		return out
	}
	panic("BUG: npy decode of " + dt.String())
}

func get16[T ~int16 | ~uint16](o binary.ByteOrder, raw []byte, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = T(o.Uint16(raw[2*i:]))
	}
	return out
}

func get32[T ~int32 | ~uint32](o binary.ByteOrder, raw []byte, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = T(o.Uint32(raw[4*i:]))
	}
	return out
}

func get64[T ~int64 | ~uint64](o binary.ByteOrder, raw []byte, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = T(o.Uint64(raw[8*i:]))
	}
	return out
}

// encode converts a storage slice of n elements to little-endian bytes.
func encode(data any, n int) ([]byte, error) {
	if v := reflect.ValueOf(data); v.Kind() != reflect.Slice || v.Len() != n {
		return nil, errors.New("data length does not match the shape")
	}
	le := binary.LittleEndian
	var out []byte
	switch s := data.(type) {
	case []bool:
		if len(s) != n {
			break
		}
		out = make([]byte, n)
		for i, v := range s {
			if v {
				out[i] = 1
			}
		}
	case []int8:
		if len(s) != n {
			break
		}
		out = make([]byte, n)
		for i, v := range s {
			out[i] = byte(v)
		}
	case []uint8:
		if len(s) != n {
			break
		}
		out = append([]byte{}, s...)
	case []int16:
		out = put16(s, n)
	case []uint16:
		out = put16(s, n)
	case []ir.F16:
		out = put16(s, n)
	case []int32:
		out = put32(s, n)
	case []uint32:
		out = put32(s, n)
	case []int64:
		out = put64(s, n)
	case []uint64:
		out = put64(s, n)
	case []float32:
		if len(s) != n {
			break
		}
		out = make([]byte, 4*n)
		for i, v := range s {
			le.PutUint32(out[4*i:], math.Float32bits(v))
		}
	case []float64:
		if len(s) != n {
			break
		}
		out = make([]byte, 8*n)
		for i, v := range s {
			le.PutUint64(out[8*i:], math.Float64bits(v))
		}
	case []complex64:
		if len(s) != n {
			break
		}
		out = make([]byte, 8*n)
		for i, v := range s {
			le.PutUint32(out[8*i:], math.Float32bits(real(v)))
			le.PutUint32(out[8*i+4:], math.Float32bits(imag(v)))
		}
	case []complex128:
		if len(s) != n {
			break
		}
		out = make([]byte, 16*n)
		for i, v := range s {
			le.PutUint64(out[16*i:], math.Float64bits(real(v)))
			le.PutUint64(out[16*i+8:], math.Float64bits(imag(v)))
		}
	default:
		return nil, errors.New("unsupported storage")
	}
	if out == nil && n != 0 {
		return nil, errors.New("data length does not match the shape")
	}
	return out, nil
}

func put16[T ~int16 | ~uint16](s []T, n int) []byte {
	if len(s) != n {
		return nil
	}
	out := make([]byte, 2*n)
	for i, v := range s {
		binary.LittleEndian.PutUint16(out[2*i:], uint16(v))
	}
	return out
}

func put32[T ~int32 | ~uint32](s []T, n int) []byte {
	if len(s) != n {
		return nil
	}
	out := make([]byte, 4*n)
	for i, v := range s {
		binary.LittleEndian.PutUint32(out[4*i:], uint32(v))
	}
	return out
}

func put64[T ~int64 | ~uint64](s []T, n int) []byte {
	if len(s) != n {
		return nil
	}
	out := make([]byte, 8*n)
	for i, v := range s {
		binary.LittleEndian.PutUint64(out[8*i:], uint64(v))
	}
	return out
}
