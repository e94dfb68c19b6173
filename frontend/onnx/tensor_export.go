package onnx

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// TensorToProto encodes a tensor as a TensorProto: raw_data (little-endian,
// sub-byte types packed as ONNX stores them) for numeric and bool tensors,
// string_data for strings. Sequences and optionals are not tensors and
// are rejected.
func TensorToProto(t *ir.Tensor) (*onnxpb.TensorProto, error) {
	if t == nil {
		return nil, fmt.Errorf("nil tensor")
	}
	if t.Kind != ir.KindTensor {
		return nil, fmt.Errorf("a %v value is not a tensor", t.Kind)
	}
	if !t.DType.Valid() {
		return nil, fmt.Errorf("tensor has invalid dtype %v", t.DType)
	}
	n := 1
	for i, d := range t.Shape {
		if d < 0 {
			return nil, fmt.Errorf("dimension %d is negative (%d)", i, d)
		}
		n *= int(d)
	}
	rv := reflect.ValueOf(t.Data)
	if rv.Kind() != reflect.Slice || rv.Len() != n {
		return nil, fmt.Errorf("%v tensor of shape %v holds %T of %d elements", t.DType, t.Shape, t.Data, lenOf(rv))
	}
	if want := ir.MakeSlice(t.DType, 0); reflect.TypeOf(want) != rv.Type() {
		return nil, fmt.Errorf("%v tensor holds %T, expected %T", t.DType, t.Data, want)
	}
	tp := &onnxpb.TensorProto{DataType: int32(t.DType), Dims: append([]int64{}, t.Shape...)}
	if t.DType == ir.String {
		for _, s := range t.Data.([]string) {
			tp.StringData = append(tp.StringData, []byte(s))
		}
		return tp, nil
	}
	if packedBits(t.DType) != 0 {
		tp.RawData = pack(t.DType, t.Data)
		return tp, nil
	}
	tp.RawData = toRaw(t.Data)
	return tp, nil
}

func lenOf(v reflect.Value) int {
	if v.Kind() == reflect.Slice {
		return v.Len()
	}
	return -1
}

// toRaw encodes a storage slice little-endian.
func toRaw(data any) []byte {
	le := binary.LittleEndian
	switch s := data.(type) {
	case []float32:
		out := make([]byte, 4*len(s))
		for i, v := range s {
			le.PutUint32(out[4*i:], math.Float32bits(v))
		}
		return out
	case []float64:
		out := make([]byte, 8*len(s))
		for i, v := range s {
			le.PutUint64(out[8*i:], math.Float64bits(v))
		}
		return out
	case []complex64:
		out := make([]byte, 8*len(s))
		for i, v := range s {
			le.PutUint32(out[8*i:], math.Float32bits(real(v)))
			le.PutUint32(out[8*i+4:], math.Float32bits(imag(v)))
		}
		return out
	case []complex128:
		out := make([]byte, 16*len(s))
		for i, v := range s {
			le.PutUint64(out[16*i:], math.Float64bits(real(v)))
			le.PutUint64(out[16*i+8:], math.Float64bits(imag(v)))
		}
		return out
	case []bool:
		out := make([]byte, len(s))
		for i, v := range s {
			if v {
				out[i] = 1
			}
		}
		return out
	case []uint8:
		return append([]byte{}, s...)
	case []int8:
		return put8(s)
	case []int16:
		return put16(s)
	case []uint16:
		return put16(s)
	case []ir.F16:
		return put16(s)
	case []ir.BF16:
		return put16(s)
	case []int32:
		return put32(s)
	case []uint32:
		return put32(s)
	case []int64:
		return put64(s)
	case []uint64:
		return put64(s)
	}
	panic(fmt.Sprintf("BUG: toRaw of %T", data))
}

func put8[T ~int8 | ~uint8](s []T) []byte {
	out := make([]byte, len(s))
	for i, v := range s {
		out[i] = byte(v)
	}
	return out
}

func put16[T ~int16 | ~uint16](s []T) []byte {
	out := make([]byte, 2*len(s))
	for i, v := range s {
		binary.LittleEndian.PutUint16(out[2*i:], uint16(v))
	}
	return out
}

func put32[T ~int32 | ~uint32](s []T) []byte {
	out := make([]byte, 4*len(s))
	for i, v := range s {
		binary.LittleEndian.PutUint32(out[4*i:], uint32(v))
	}
	return out
}

func put64[T ~int64 | ~uint64](s []T) []byte {
	out := make([]byte, 8*len(s))
	for i, v := range s {
		binary.LittleEndian.PutUint64(out[8*i:], uint64(v))
	}
	return out
}
