package onnx

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// TensorFromProto decodes a TensorProto into an ir.Tensor. Element data may
// come from raw_data (little-endian), from the typed field that ONNX assigns
// to the element type, or from an external file inside baseDir (see
// external.go). Packed 4-bit and 2-bit types are unpacked to one element per
// value. Every size is checked against the shape and against lim.
func TensorFromProto(tp *onnxpb.TensorProto, baseDir string, lim Limits) (*ir.Tensor, error) {
	t, err := tensorFromProto(tp, baseDir, lim.withDefaults())
	if err != nil {
		return nil, fmt.Errorf("tensor %q: %w", tp.GetName(), err)
	}
	return t, nil
}

func tensorFromProto(tp *onnxpb.TensorProto, baseDir string, lim Limits) (*ir.Tensor, error) {
	if tp == nil {
		return nil, fmt.Errorf("missing tensor")
	}
	if tp.Segment != nil {
		return nil, fmt.Errorf("segmented tensors are not supported")
	}
	dt := ir.DType(tp.DataType)
	if !dt.Valid() {
		return nil, fmt.Errorf("unsupported data type %d", tp.DataType)
	}
	shape := make([]int64, len(tp.Dims))
	for i, d := range tp.Dims {
		if d < 0 {
			return nil, fmt.Errorf("dimension %d is negative (%d)", i, d)
		}
		shape[i] = d
	}
	n, err := checkedCount(dt, shape, lim)
	if err != nil {
		return nil, err
	}
	t := &ir.Tensor{DType: dt, Shape: shape}

	if tp.DataLocation == onnxpb.TensorProto_EXTERNAL {
		if dt == ir.String {
			return nil, fmt.Errorf("string tensors cannot use external data")
		}
		raw, err := readExternal(tp, baseDir, rawSize(dt, n))
		if err != nil {
			return nil, err
		}
		t.Data, err = fromRaw(dt, n, raw)
		return t, err
	}
	if len(tp.RawData) > 0 {
		if dt == ir.String {
			return nil, fmt.Errorf("string tensors cannot use raw_data")
		}
		t.Data, err = fromRaw(dt, n, tp.RawData)
		return t, err
	}
	t.Data, err = fromTyped(dt, n, tp)
	return t, err
}

// checkedCount returns the number of elements of shape, checking it against
// the tensor-bytes limit.
func checkedCount(dt ir.DType, shape []int64, lim Limits) (int, error) {
	size := int64(dt.Size())
	if dt == ir.String {
		size = 16 // a string header; the bytes are bounded by the model size
	}
	n, err := ir.CheckedNumElements(shape, lim.MaxTensorBytes/size)
	if err != nil {
		return 0, &LimitError{Limit: "MaxTensorBytes", Value: lim.MaxTensorBytes,
			What: fmt.Sprintf("%v tensor of shape %v", dt, shape)}
	}
	if int64(int(n)) != n {
		return 0, fmt.Errorf("shape %v has too many elements", shape)
	}
	return int(n), nil
}

// packedBits returns 4 or 2 for the sub-byte types ONNX packs in files, 0
// for the rest.
func packedBits(dt ir.DType) int {
	if b := dt.Info().Bits; b < 8 {
		return b
	}
	return 0
}

// rawSize is the number of bytes n elements of dt take in raw_data.
func rawSize(dt ir.DType, n int) int64 {
	if b := packedBits(dt); b != 0 {
		return (int64(n)*int64(b) + 7) / 8
	}
	return int64(n) * int64(dt.Size())
}

// fromRaw decodes little-endian element bytes.
func fromRaw(dt ir.DType, n int, raw []byte) (any, error) {
	if want := rawSize(dt, n); int64(len(raw)) != want {
		return nil, fmt.Errorf("raw data has %d bytes, %v×%d elements need %d", len(raw), dt, n, want)
	}
	if bits := packedBits(dt); bits != 0 {
		return unpack(dt, n, raw), nil
	}
	if v := aliasRaw(dt, n, raw); v != nil {
		return v, nil
	}
	le := binary.LittleEndian
	switch dt {
	case ir.Float32:
		out := make([]float32, n)
		for i := range out {
			out[i] = math.Float32frombits(le.Uint32(raw[4*i:]))
		}
		return out, nil
	case ir.Float64:
		out := make([]float64, n)
		for i := range out {
			out[i] = math.Float64frombits(le.Uint64(raw[8*i:]))
		}
		return out, nil
	case ir.Complex64:
		out := make([]complex64, n)
		for i := range out {
			re := math.Float32frombits(le.Uint32(raw[8*i:]))
			im := math.Float32frombits(le.Uint32(raw[8*i+4:]))
			out[i] = complex(re, im)
		}
		return out, nil
	case ir.Complex128:
		out := make([]complex128, n)
		for i := range out {
			re := math.Float64frombits(le.Uint64(raw[16*i:]))
			im := math.Float64frombits(le.Uint64(raw[16*i+8:]))
			out[i] = complex(re, im)
		}
		return out, nil
	case ir.Bool:
		out := make([]bool, n)
		for i := range out {
			out[i] = raw[i] != 0
		}
		return out, nil
	case ir.Int8:
		return le8[int8](raw, n), nil
	case ir.Uint8, ir.Float8E4M3FN, ir.Float8E4M3FNUZ, ir.Float8E5M2, ir.Float8E5M2FNUZ, ir.Float8E8M0:
		return le8[uint8](raw, n), nil
	case ir.Int16:
		return le16[int16](raw, n), nil
	case ir.Uint16:
		return le16[uint16](raw, n), nil
	case ir.Float16:
		return le16[ir.F16](raw, n), nil
	case ir.BFloat16:
		return le16[ir.BF16](raw, n), nil
	case ir.Int32:
		return le32[int32](raw, n), nil
	case ir.Uint32:
		return le32[uint32](raw, n), nil
	case ir.Int64:
		return le64[int64](raw, n), nil
	case ir.Uint64:
		return le64[uint64](raw, n), nil
	}
	return nil, fmt.Errorf("raw data of type %v is not supported", dt)
}

func le8[T ~int8 | ~uint8](raw []byte, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = T(raw[i])
	}
	return out
}

func le16[T ~int16 | ~uint16](raw []byte, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = T(binary.LittleEndian.Uint16(raw[2*i:]))
	}
	return out
}

func le32[T ~int32 | ~uint32](raw []byte, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = T(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return out
}

func le64[T ~int64 | ~uint64](raw []byte, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = T(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	return out
}

// fromTyped decodes the typed field ONNX uses for dt.
func fromTyped(dt ir.DType, n int, tp *onnxpb.TensorProto) (any, error) {
	count := func(field string, got, want int) error {
		if got != want {
			return fmt.Errorf("%s has %d values, %v×%d elements need %d", field, got, dt, n, want)
		}
		return nil
	}
	switch dt {
	case ir.Float32:
		if err := count("float_data", len(tp.FloatData), n); err != nil {
			return nil, err
		}
		return append([]float32{}, tp.FloatData...), nil
	case ir.Complex64:
		if err := count("float_data", len(tp.FloatData), 2*n); err != nil {
			return nil, err
		}
		out := make([]complex64, n)
		for i := range out {
			out[i] = complex(tp.FloatData[2*i], tp.FloatData[2*i+1])
		}
		return out, nil
	case ir.Float64:
		if err := count("double_data", len(tp.DoubleData), n); err != nil {
			return nil, err
		}
		return append([]float64{}, tp.DoubleData...), nil
	case ir.Complex128:
		if err := count("double_data", len(tp.DoubleData), 2*n); err != nil {
			return nil, err
		}
		out := make([]complex128, n)
		for i := range out {
			out[i] = complex(tp.DoubleData[2*i], tp.DoubleData[2*i+1])
		}
		return out, nil
	case ir.Int64:
		if err := count("int64_data", len(tp.Int64Data), n); err != nil {
			return nil, err
		}
		return append([]int64{}, tp.Int64Data...), nil
	case ir.Uint64:
		if err := count("uint64_data", len(tp.Uint64Data), n); err != nil {
			return nil, err
		}
		return append([]uint64{}, tp.Uint64Data...), nil
	case ir.Uint32:
		if err := count("uint64_data", len(tp.Uint64Data), n); err != nil {
			return nil, err
		}
		return convert[uint64, uint32](tp.Uint64Data), nil
	case ir.String:
		if err := count("string_data", len(tp.StringData), n); err != nil {
			return nil, err
		}
		out := make([]string, n)
		for i, s := range tp.StringData {
			out[i] = string(s)
		}
		return out, nil
	}
	// Everything else lives in int32_data.
	src := tp.Int32Data
	if bits := packedBits(dt); bits != 0 {
		packed := int(rawSize(dt, n))
		if len(src) == packed {
			raw := make([]byte, packed)
			for i, v := range src {
				raw[i] = byte(v)
			}
			return unpack(dt, n, raw), nil
		}
		if len(src) != n {
			return nil, fmt.Errorf("int32_data has %d values, %v×%d elements need %d (packed)", len(src), dt, n, packed)
		}
		// One value per entry: accepted, masked to the element width.
		raw := make([]byte, n)
		for i, v := range src {
			raw[i] = byte(v)
		}
		return unpackWide(dt, raw), nil
	}
	if err := count("int32_data", len(src), n); err != nil {
		return nil, err
	}
	switch dt {
	case ir.Int32:
		return append([]int32{}, src...), nil
	case ir.Int16:
		return convert[int32, int16](src), nil
	case ir.Int8:
		return convert[int32, int8](src), nil
	case ir.Uint16:
		return convert[int32, uint16](src), nil
	case ir.Float16:
		return convert[int32, ir.F16](src), nil
	case ir.BFloat16:
		return convert[int32, ir.BF16](src), nil
	case ir.Uint8, ir.Float8E4M3FN, ir.Float8E4M3FNUZ, ir.Float8E5M2, ir.Float8E5M2FNUZ, ir.Float8E8M0:
		return convert[int32, uint8](src), nil
	case ir.Bool:
		out := make([]bool, n)
		for i, v := range src {
			out[i] = v != 0
		}
		return out, nil
	}
	return nil, fmt.Errorf("typed data of type %v is not supported", dt)
}

type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// convert narrows or widens integer values (wrapping, as ONNX's typed fields
// store bit patterns).
func convert[S, D integer](src []S) []D {
	out := make([]D, len(src))
	for i, v := range src {
		out[i] = D(v)
	}
	return out
}
