package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestPoolValues(t *testing.T) {
	// 1×1×3×4 input 0..11.
	x := ir.FromSlice([]float32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 1, 1, 3, 4)
	cases := []struct {
		name  string
		op    string
		attrs ir.Attrs
		shape []int64
		want  []float32
	}{
		{"max 2x2", "MaxPool", nntAttrs("kernel_shape", []int64{2, 2}), []int64{1, 1, 2, 3}, []float32{5, 6, 7, 9, 10, 11}},
		{"max stride2 ceil", "MaxPool", nntAttrs("kernel_shape", []int64{2, 2}, "strides", []int64{2, 2}, "ceil_mode", 1), []int64{1, 1, 2, 2}, []float32{5, 7, 9, 11}},
		{"max pads", "MaxPool", nntAttrs("kernel_shape", []int64{3, 3}, "pads", []int64{1, 1, 1, 1}, "strides", []int64{2, 2}), []int64{1, 1, 2, 2}, []float32{5, 7, 9, 11}},
		{"max dilated", "MaxPool", nntAttrs("kernel_shape", []int64{2, 2}, "dilations", []int64{2, 2}), []int64{1, 1, 1, 2}, []float32{10, 11}},
		{"avg pads exclude", "AveragePool", nntAttrs("kernel_shape", []int64{2, 2}, "pads", []int64{1, 1, 0, 0}), []int64{1, 1, 3, 4}, []float32{0, 0.5, 1.5, 2.5, 2, 2.5, 3.5, 4.5, 6, 6.5, 7.5, 8.5}},
		{"avg pads include", "AveragePool", nntAttrs("kernel_shape", []int64{2, 2}, "pads", []int64{1, 1, 0, 0}, "count_include_pad", 1), []int64{1, 1, 3, 4}, []float32{0, 0.25, 0.75, 1.25, 1, 2.5, 3.5, 4.5, 3, 6.5, 7.5, 8.5}},
		{"avg same_upper", "AveragePool", nntAttrs("kernel_shape", []int64{2, 2}, "auto_pad", "SAME_UPPER", "strides", []int64{2, 2}), []int64{1, 1, 2, 2}, []float32{2.5, 4.5, 8.5, 10.5}},
		{"lp p1", "LpPool", nntAttrs("kernel_shape", []int64{1, 2}, "p", 1, "strides", []int64{1, 2}), []int64{1, 1, 3, 2}, []float32{1, 5, 9, 13, 17, 21}},
	}
	for _, tc := range cases {
		outs, err := nntRun(tc.op, 22, tc.attrs, 1, x)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !sameShape(outs[0].Shape, tc.shape) {
			t.Fatalf("%s: shape %v, want %v", tc.name, outs[0].Shape, tc.shape)
		}
		nntClose(t, tc.name, outs[0].F32(), tc.want, 1e-6)
	}
}

func TestMaxPoolIndices(t *testing.T) {
	x := ir.FromSlice([]float32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 1, 1, 3, 4)
	for _, tc := range []struct {
		order int
		want  []int64
	}{{0, []int64{5, 6, 7, 9, 10, 11}}, {1, []int64{4, 7, 10, 5, 8, 11}}} {
		outs, err := nntRun("MaxPool", 12, nntAttrs("kernel_shape", []int64{2, 2}, "storage_order", tc.order), 2, x)
		if err != nil {
			t.Fatal(err)
		}
		got := outs[1].I64()
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("storage_order %d: indices %v, want %v", tc.order, got, tc.want)
			}
		}
	}
	// MaxUnpool inverts it.
	outs, err := nntRun("MaxPool", 12, nntAttrs("kernel_shape", []int64{2, 2}, "strides", []int64{2, 2}), 2, x)
	if err != nil {
		t.Fatal(err)
	}
	un, err := nntRun("MaxUnpool", 22, nntAttrs("kernel_shape", []int64{2, 2}, "strides", []int64{2, 2}), 1, outs[0], outs[1])
	if err != nil {
		t.Fatal(err)
	}
	nntClose(t, "maxunpool", un[0].F32(), []float32{0, 0, 0, 0, 0, 5, 0, 7}, 0)
}

func TestMaxPoolInt8AndHalf(t *testing.T) {
	x8 := ir.FromSlice([]int8{-5, 3, -1, -7}, 1, 1, 2, 2)
	outs, err := nntRun("MaxPool", 22, nntAttrs("kernel_shape", []int64{2, 2}), 1, x8)
	if err != nil {
		t.Fatal(err)
	}
	if v := outs[0].Data.([]int8)[0]; v != 3 {
		t.Fatalf("int8 max = %d", v)
	}
	h := ir.FromSlice([]ir.F16{ir.NewFloat16(1), ir.NewFloat16(2.5), ir.NewFloat16(-1), ir.NewFloat16(0)}, 1, 1, 2, 2)
	outs, err = nntRun("AveragePool", 22, nntAttrs("kernel_shape", []int64{2, 2}), 1, h)
	if err != nil {
		t.Fatal(err)
	}
	if v := outs[0].Data.([]ir.F16)[0].Float32(); v != 0.625 {
		t.Fatalf("float16 avg = %v", v)
	}
}

func TestGlobalPools(t *testing.T) {
	x := ir.FromSlice([]float32{1, 2, 3, 4, -1, -2, -3, -4}, 1, 2, 2, 2)
	for _, tc := range []struct {
		op   string
		want []float32
	}{
		{"GlobalAveragePool", []float32{2.5, -2.5}},
		{"GlobalMaxPool", []float32{4, -1}},
		{"GlobalLpPool", []float32{float32(math.Sqrt(30)), float32(math.Sqrt(30))}},
	} {
		outs, err := nntRun(tc.op, 22, nil, 1, x)
		if err != nil {
			t.Fatal(err)
		}
		if !sameShape(outs[0].Shape, []int64{1, 2, 1, 1}) {
			t.Fatalf("%s shape %v", tc.op, outs[0].Shape)
		}
		nntClose(t, tc.op, outs[0].F32(), tc.want, 1e-6)
	}
}
