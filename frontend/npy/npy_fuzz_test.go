package npy

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/nncc/nncc/ir"
)

// FuzzRead checks that no .npy bytes make Read panic or allocate beyond
// what the file holds, that what it accepts is a consistent tensor (the
// data holds exactly the shape's element count), and that an accepted
// array survives Write and Read unchanged.
//
//	go test -run XXX -fuzz FuzzRead -fuzztime 60s ./frontend/npy
func FuzzRead(f *testing.F) {
	for _, t := range []*ir.Tensor{
		ir.FromSlice([]float32{1.5, -2, 3, 4, 5, 6}, 2, 3),
		ir.FromSlice([]int64{-1, 0, 1}),
		ir.FromSlice([]bool{true, false}),
		ir.FromSlice([]ir.F16{ir.NewFloat16(1)}),
		ir.FromSlice([]complex128{1 + 2i}),
		ir.FromSlice([]uint8{}, 0, 4),
		ir.Scalar(float64(2)),
	} {
		var b bytes.Buffer
		if err := Write(&b, t); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Add(file(2, "{'descr': '>c16', 'fortran_order': False, 'shape': (1,), }", make([]byte, 16)))
	// The hostile inputs of testdata/hostile.
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "hostile", "*", "*.npy"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		n, err := ir.CheckedNumElements(x.Shape, 1<<62)
		if err != nil {
			t.Fatalf("accepted shape %v: %v", x.Shape, err)
		}
		if got := reflect.ValueOf(x.Data).Len(); int64(got) != n {
			t.Fatalf("shape %v needs %d elements, data holds %d", x.Shape, n, got)
		}
		var b bytes.Buffer
		if err := Write(&b, x); err != nil {
			t.Fatalf("accepted array does not write back: %v", err)
		}
		y, err := Read(&b)
		if err != nil {
			t.Fatalf("written array does not read back: %v", err)
		}
		if !reflect.DeepEqual(x.Shape, y.Shape) || x.DType != y.DType || !sameBits(x.Data, y.Data) {
			t.Fatalf("round trip changed %v%v into %v%v", x.DType, x.Shape, y.DType, y.Shape)
		}
	})
}

// sameBits compares storage slices bit for bit (NaN payloads included).
func sameBits(a, b any) bool {
	var ba, bb bytes.Buffer
	if err := Write(&ba, &ir.Tensor{DType: dtypeOf(a), Shape: []int64{int64(reflect.ValueOf(a).Len())}, Data: a}); err != nil {
		return false
	}
	if err := Write(&bb, &ir.Tensor{DType: dtypeOf(b), Shape: []int64{int64(reflect.ValueOf(b).Len())}, Data: b}); err != nil {
		return false
	}
	return bytes.Equal(ba.Bytes(), bb.Bytes())
}

func dtypeOf(s any) ir.DType {
	for _, d := range dtypeCodes {
		if reflect.TypeOf(ir.MakeSlice(d, 0)) == reflect.TypeOf(s) {
			return d
		}
	}
	return ir.Undefined
}
