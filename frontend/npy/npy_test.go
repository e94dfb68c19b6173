package npy

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestRoundTrip(t *testing.T) {
	cases := []*ir.Tensor{
		ir.FromSlice([]bool{true, false, true}),
		ir.FromSlice([]int8{-128, 0, 127}, 3, 1),
		ir.FromSlice([]int16{-32768, 1, 32767}),
		ir.FromSlice([]int32{-1, 2, 3, 4}, 2, 2),
		ir.FromSlice([]int64{-1 << 63, 0, 1<<63 - 1}),
		ir.FromSlice([]uint8{0, 255}),
		ir.FromSlice([]uint16{0, 65535}),
		ir.FromSlice([]uint32{0, 1<<32 - 1}),
		ir.FromSlice([]uint64{0, 1<<64 - 1}),
		ir.FromSlice([]ir.F16{ir.NewFloat16(1.5), ir.NewFloat16(-2)}),
		ir.FromSlice([]float32{1.5, -2, 3}, 1, 3),
		ir.FromSlice([]float64{1e300, -0.5}),
		ir.FromSlice([]complex64{1 + 2i, -3i}),
		ir.FromSlice([]complex128{1 + 2i, -3i}),
		ir.Scalar(float32(7)),
		ir.FromSlice([]float32{}, 0, 5),
	}
	for _, in := range cases {
		var buf bytes.Buffer
		if err := Write(&buf, in); err != nil {
			t.Fatalf("%v: %v", in, err)
		}
		b := buf.Bytes()
		hlen := int(binary.LittleEndian.Uint16(b[8:]))
		if (10+hlen)%64 != 0 || b[10+hlen-1] != '\n' {
			t.Errorf("%v: header not padded to 64 bytes", in)
		}
		out, err := Read(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%v: %v", in, err)
		}
		if out.DType != in.DType || !reflect.DeepEqual(out.Shape, in.Shape) || !reflect.DeepEqual(out.Data, in.Data) {
			t.Errorf("round trip of %v gave %v", in, out)
		}
	}
}

// file builds a .npy file by hand: version, header dict and data.
func file(major byte, dict string, data []byte) []byte {
	var b bytes.Buffer
	b.WriteString("\x93NUMPY")
	b.WriteByte(major)
	b.WriteByte(0)
	dict += "\n"
	if major == 1 {
		binary.Write(&b, binary.LittleEndian, uint16(len(dict)))
	} else {
		binary.Write(&b, binary.LittleEndian, uint32(len(dict)))
	}
	b.WriteString(dict)
	b.Write(data)
	return b.Bytes()
}

func TestReadVariants(t *testing.T) {
	be := []byte{0x3f, 0xc0, 0, 0, 0xc0, 0, 0, 0} // 1.5, -2 big-endian float32
	le := []byte{0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0}
	cases := []struct {
		name string
		data []byte
		want *ir.Tensor
	}{
		{"v1 little", file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", le), ir.FromSlice([]float32{1.5, -2})},
		{"v2 big", file(2, "{'descr': '>f4', 'fortran_order': False, 'shape': (1, 2), }", be), ir.FromSlice([]float32{1.5, -2}, 1, 2)},
		{"v3 double quotes", file(3, `{"descr": ">i2", "shape": (2,), "fortran_order": False}`, []byte{0xff, 0xfe, 0, 1}), ir.FromSlice([]int16{-2, 1})},
		{"scalar", file(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (), }", []byte{9}), ir.Scalar(uint8(9))},
		{"bool", file(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", []byte{1, 0}), ir.FromSlice([]bool{true, false})},
		{"python2 long", file(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1L,), }", make([]byte, 8)), ir.FromSlice([]int64{0})},
		{"big complex", file(1, "{'descr': '>c8', 'fortran_order': False, 'shape': (1,), }", be), ir.FromSlice([]complex64{1.5 - 2i})},
	}
	for _, c := range cases {
		got, err := Read(bytes.NewReader(c.data))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got.DType != c.want.DType || !reflect.DeepEqual(got.Shape, c.want.Shape) || !reflect.DeepEqual(got.Data, c.want.Data) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestReadErrors(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"magic", []byte("PK\x03\x04aaaaaaaaaa"), "magic"},
		{"fortran", file(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", make([]byte, 8)), "fortran"},
		{"truncated", file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", make([]byte, 8)), "needs 12"},
		{"trailing", file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", make([]byte, 8)), "more data"},
		{"huge shape", file(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1000000000), }", make([]byte, 8)), "needs"},
		{"overflow", file(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", nil), "elements"},
		{"descr", file(1, "{'descr': '<U4', 'fortran_order': False, 'shape': (1,), }", make([]byte, 16)), "unsupported descr"},
		{"object", file(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", make([]byte, 8)), "unsupported descr"},
		{"missing key", file(1, "{'descr': '<f4', 'shape': (1,), }", make([]byte, 4)), "fortran_order"},
		{"version", file(9, "{}", nil), "version"},
		{"short header", []byte("\x93NUMPY\x01\x00\xff\x00{"), "header"},
	}
	for _, c := range cases {
		_, err := Read(bytes.NewReader(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want error containing %q", c.name, err, c.want)
		}
	}
	for _, bad := range []*ir.Tensor{
		{DType: ir.BFloat16, Shape: []int64{1}, Data: []ir.BF16{1}},
		{DType: ir.String, Shape: []int64{1}, Data: []string{"a"}},
		{DType: ir.Float32, Shape: []int64{2}, Data: []float32{1}},
		{DType: ir.Float32, Shape: []int64{0}, Data: []float32{1}},
	} {
		if err := Write(&bytes.Buffer{}, bad); err == nil {
			t.Errorf("Write(%v) accepted a bad tensor", bad)
		}
	}
}
