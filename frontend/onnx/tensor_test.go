package onnx

import (
	"reflect"
	"strings"
	"testing"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// sample returns a tensor of dtype d with shape [2,3] and varied values
// (including negative and extreme ones where the type has them).
func sample(d ir.DType) *ir.Tensor {
	t := ir.NewTensor(d, []int64{2, 3})
	switch s := t.Data.(type) {
	case []float32:
		copy(s, []float32{0, -1.5, 3.25, 1e30, -0, 7})
	case []float64:
		copy(s, []float64{0, -1.5, 3.25, 1e300, -0, 7})
	case []ir.F16:
		for i := range s {
			s[i] = ir.NewFloat16(float32(i) - 2.5)
		}
	case []ir.BF16:
		for i := range s {
			s[i] = ir.NewBFloat16(float32(i) * -1.25)
		}
	case []int8:
		lo, hi := int8(-128), int8(127)
		if b := d.Info().Bits; b < 8 {
			lo, hi = -(1 << (b - 1)), 1<<(b-1)-1
		}
		copy(s, []int8{lo, hi, 0, -1, 1, lo + 1})
	case []uint8:
		hi := uint8(255)
		if b := d.Info().Bits; b < 8 {
			hi = 1<<b - 1
		}
		copy(s, []uint8{0, hi, 1, hi - 1, 2 & hi, 1})
	case []int16:
		copy(s, []int16{-32768, 32767, 0, -1, 1, 2})
	case []uint16:
		copy(s, []uint16{0, 65535, 1, 2, 3, 4})
	case []int32:
		copy(s, []int32{-1 << 31, 1<<31 - 1, 0, -1, 1, 2})
	case []uint32:
		copy(s, []uint32{0, 1<<32 - 1, 1, 2, 3, 4})
	case []int64:
		copy(s, []int64{-1 << 63, 1<<63 - 1, 0, -1, 1, 2})
	case []uint64:
		copy(s, []uint64{0, 1<<64 - 1, 1, 2, 3, 4})
	case []bool:
		copy(s, []bool{true, false, true, true, false, false})
	case []string:
		copy(s, []string{"", "a", "héllo", "x y", "\x00", "z"})
	case []complex64:
		copy(s, []complex64{1 + 2i, -3i, 0, 4, -1 - 1i, 5})
	case []complex128:
		copy(s, []complex128{1 + 2i, -3i, 0, 4, -1 - 1i, 5})
	}
	return t
}

func allDTypes() []ir.DType {
	var out []ir.DType
	for d := ir.DType(1); d.Valid(); d++ {
		out = append(out, d)
	}
	return out
}

func TestTensorRoundTripEveryDType(t *testing.T) {
	for _, d := range allDTypes() {
		for _, shape := range [][]int64{{2, 3}, {}, {0, 4}, {5}} {
			var in *ir.Tensor
			if len(shape) == 2 && shape[0] == 2 {
				in = sample(d)
			} else {
				in = ir.NewTensor(d, shape)
				if len(shape) == 1 { // odd length: exercises the half-filled packed byte
					src := sample(d)
					in.Data = reflect.ValueOf(src.Data).Slice(0, 5).Interface()
				}
			}
			tp, err := TensorToProto(in)
			if err != nil {
				t.Fatalf("%v%v: TensorToProto: %v", d, shape, err)
			}
			if b := d.Info().Bits; b < 8 && b > 0 && len(tp.RawData) != (in.Len()*b+7)/8 {
				t.Errorf("%v: %d raw bytes for %d elements", d, len(tp.RawData), in.Len())
			}
			out, err := TensorFromProto(tp, "", Limits{})
			if err != nil {
				t.Fatalf("%v%v: TensorFromProto: %v", d, shape, err)
			}
			if out.DType != d || !reflect.DeepEqual(out.Shape, in.Shape) || !reflect.DeepEqual(out.Data, in.Data) {
				t.Errorf("%v%v: round trip gave %v, want %v", d, shape, out, in)
			}
		}
	}
}

func TestPacking(t *testing.T) {
	cases := []struct {
		d    ir.DType
		data any
		raw  []byte
	}{
		{ir.Int4, []int8{1, -1, -8, 7, 3}, []byte{0xf1, 0x78, 0x03}},
		{ir.Uint4, []uint8{1, 15, 0, 9}, []byte{0xf1, 0x90}},
		{ir.Float4E2M1, []uint8{0xa, 0x5, 0xf}, []byte{0x5a, 0x0f}},
		{ir.Int2, []int8{1, -1, -2, 0, 1}, []byte{0b00_10_11_01, 0b01}},
		{ir.Uint2, []uint8{3, 2, 1, 0, 3, 3}, []byte{0b00_01_10_11, 0b1111}},
	}
	for _, c := range cases {
		n := reflect.ValueOf(c.data).Len()
		in := &ir.Tensor{DType: c.d, Shape: []int64{int64(n)}, Data: c.data}
		tp, err := TensorToProto(in)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(tp.RawData, c.raw) {
			t.Errorf("%v: packed % x, want % x", c.d, tp.RawData, c.raw)
		}
		out, err := TensorFromProto(tp, "", Limits{})
		if err != nil || !reflect.DeepEqual(out.Data, c.data) {
			t.Errorf("%v: unpacked %v (%v), want %v", c.d, out, err, c.data)
		}
		// int32_data holds the packed bytes too.
		tp2 := &onnxpb.TensorProto{DataType: int32(c.d), Dims: tp.Dims}
		for _, b := range c.raw {
			tp2.Int32Data = append(tp2.Int32Data, int32(b))
		}
		out, err = TensorFromProto(tp2, "", Limits{})
		if err != nil || !reflect.DeepEqual(out.Data, c.data) {
			t.Errorf("%v from int32_data: %v (%v), want %v", c.d, out, err, c.data)
		}
	}
}

func TestTypedFields(t *testing.T) {
	cases := []struct {
		tp   *onnxpb.TensorProto
		want any
	}{
		{&onnxpb.TensorProto{DataType: int32(ir.Float32), Dims: []int64{2}, FloatData: []float32{1, 2}}, []float32{1, 2}},
		{&onnxpb.TensorProto{DataType: int32(ir.Complex64), Dims: []int64{2}, FloatData: []float32{1, 2, 3, 4}}, []complex64{1 + 2i, 3 + 4i}},
		{&onnxpb.TensorProto{DataType: int32(ir.Complex128), Dims: []int64{1}, DoubleData: []float64{1, -2}}, []complex128{1 - 2i}},
		{&onnxpb.TensorProto{DataType: int32(ir.Float64), Dims: []int64{1}, DoubleData: []float64{0.5}}, []float64{0.5}},
		{&onnxpb.TensorProto{DataType: int32(ir.Int8), Dims: []int64{2}, Int32Data: []int32{-5, 127}}, []int8{-5, 127}},
		{&onnxpb.TensorProto{DataType: int32(ir.Uint16), Dims: []int64{1}, Int32Data: []int32{65535}}, []uint16{65535}},
		{&onnxpb.TensorProto{DataType: int32(ir.Int16), Dims: []int64{1}, Int32Data: []int32{-300}}, []int16{-300}},
		{&onnxpb.TensorProto{DataType: int32(ir.Bool), Dims: []int64{2}, Int32Data: []int32{1, 0}}, []bool{true, false}},
		{&onnxpb.TensorProto{DataType: int32(ir.Float16), Dims: []int64{1}, Int32Data: []int32{0x3c00}}, []ir.F16{0x3c00}},
		{&onnxpb.TensorProto{DataType: int32(ir.BFloat16), Dims: []int64{1}, Int32Data: []int32{0x3f80}}, []ir.BF16{0x3f80}},
		{&onnxpb.TensorProto{DataType: int32(ir.Float8E4M3FN), Dims: []int64{1}, Int32Data: []int32{0x38}}, []uint8{0x38}},
		{&onnxpb.TensorProto{DataType: int32(ir.Uint32), Dims: []int64{1}, Uint64Data: []uint64{1<<32 - 1}}, []uint32{1<<32 - 1}},
		{&onnxpb.TensorProto{DataType: int32(ir.Uint64), Dims: []int64{1}, Uint64Data: []uint64{1 << 63}}, []uint64{1 << 63}},
		{&onnxpb.TensorProto{DataType: int32(ir.Int64), Dims: []int64{}, Int64Data: []int64{-9}}, []int64{-9}},
		{&onnxpb.TensorProto{DataType: int32(ir.String), Dims: []int64{2}, StringData: [][]byte{[]byte("a"), []byte("bc")}}, []string{"a", "bc"}},
		{&onnxpb.TensorProto{DataType: int32(ir.Int4), Dims: []int64{3}, Int32Data: []int32{0x9f, 0x07}}, []int8{-1, -7, 7}},
	}
	for _, c := range cases {
		got, err := TensorFromProto(c.tp, "", Limits{})
		if err != nil {
			t.Errorf("%v: %v", ir.DType(c.tp.DataType), err)
			continue
		}
		if !reflect.DeepEqual(got.Data, c.want) {
			t.Errorf("%v: got %v, want %v", ir.DType(c.tp.DataType), got.Data, c.want)
		}
	}
}

func TestTensorErrors(t *testing.T) {
	cases := []struct {
		name string
		tp   *onnxpb.TensorProto
		lim  Limits
		want string
	}{
		{"raw too short", &onnxpb.TensorProto{DataType: int32(ir.Float32), Dims: []int64{3}, RawData: make([]byte, 8)}, Limits{}, "raw data has 8 bytes"},
		{"raw too long", &onnxpb.TensorProto{DataType: int32(ir.Int4), Dims: []int64{3}, RawData: make([]byte, 3)}, Limits{}, "need 2"},
		{"typed count", &onnxpb.TensorProto{DataType: int32(ir.Int64), Dims: []int64{2, 2}, Int64Data: []int64{1}}, Limits{}, "int64_data has 1 values"},
		{"wrong field", &onnxpb.TensorProto{DataType: int32(ir.Float32), Dims: []int64{1}, Int64Data: []int64{1}}, Limits{}, "float_data has 0"},
		{"negative dim", &onnxpb.TensorProto{DataType: int32(ir.Float32), Dims: []int64{-1}}, Limits{}, "negative"},
		{"overflow", &onnxpb.TensorProto{DataType: int32(ir.Float32), Dims: []int64{1 << 40, 1 << 40}}, Limits{}, "MaxTensorBytes"},
		{"too big", &onnxpb.TensorProto{DataType: int32(ir.Float32), Dims: []int64{100}}, Limits{MaxTensorBytes: 100}, "MaxTensorBytes"},
		{"bad dtype", &onnxpb.TensorProto{DataType: 99, Dims: []int64{1}}, Limits{}, "unsupported data type"},
		{"undefined dtype", &onnxpb.TensorProto{DataType: 0}, Limits{}, "unsupported data type"},
		{"segment", &onnxpb.TensorProto{DataType: 1, Segment: &onnxpb.TensorProto_Segment{Begin: 0, End: 1}}, Limits{}, "segment"},
		{"string raw", &onnxpb.TensorProto{DataType: int32(ir.String), Dims: []int64{1}, RawData: []byte("x")}, Limits{}, "raw_data"},
		{"no base dir", &onnxpb.TensorProto{DataType: 1, Dims: []int64{1}, DataLocation: onnxpb.TensorProto_EXTERNAL,
			ExternalData: []*onnxpb.StringStringEntryProto{{Key: "location", Value: "w.bin"}}}, Limits{}, "no base directory"},
	}
	for _, c := range cases {
		c.tp.Name = "T"
		_, err := TensorFromProto(c.tp, "", c.lim)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), `"T"`) {
			t.Errorf("%s: got %v, want error containing %q", c.name, err, c.want)
		}
	}
	for _, bad := range []*ir.Tensor{
		{DType: ir.Float32, Shape: []int64{2}, Data: []float32{1}},
		{DType: ir.Float32, Shape: []int64{1}, Data: []int32{1}},
		{Kind: ir.KindSequence, DType: ir.Float32},
	} {
		if _, err := TensorToProto(bad); err == nil {
			t.Errorf("TensorToProto(%v) accepted a bad tensor", bad)
		}
	}
}
