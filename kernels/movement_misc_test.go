package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestMovementMiscOps(t *testing.T) {
	x := mvF32(mvSh(2, 2), 1, 2, 3, 4)
	mvRunCases(t, []mvCase{
		{name: "dropout inference with mask", op: "Dropout", nOut: 2, in: []*ir.Tensor{x},
			want: []*ir.Tensor{x, ir.FromSlice([]bool{true, true, true, true}, 2, 2)}},
		{name: "dropout-7 mask has the data type", op: "Dropout", opset: 7, nOut: 2, attrs: ir.Attrs{"ratio": mvAFloat(0.3)}, in: []*ir.Tensor{x},
			want: []*ir.Tensor{x, mvF32(mvSh(2, 2), 1, 1, 1, 1)}},
		{name: "dropout-6 is_test", op: "Dropout", opset: 6, attrs: ir.Attrs{"is_test": mvAInt(1)}, in: []*ir.Tensor{x}, want: []*ir.Tensor{x}},
		{name: "dropout training ratio 0", op: "Dropout", opset: 13, nOut: 2, in: []*ir.Tensor{x, mvF32(mvSh(), 0), ir.Scalar(true)},
			want: []*ir.Tensor{x, ir.FromSlice([]bool{true, true, true, true}, 2, 2)}},
		{name: "dropout bad ratio", op: "Dropout", opset: 13, in: []*ir.Tensor{x, mvF32(mvSh(), 1), ir.Scalar(true)}, wantErr: true},
		{name: "bitcast float32 to int32", op: "BitCast", opset: 26, attrs: ir.Attrs{"to": mvAInt(int64(ir.Int32))}, in: []*ir.Tensor{mvF32(mvSh(2), 1, -2)},
			want: []*ir.Tensor{ir.FromSlice([]int32{int32(math.Float32bits(1)), int32(math.Float32bits(-2))})}},
		{name: "bitcast int4 to uint4", op: "BitCast", opset: 26, attrs: ir.Attrs{"to": mvAInt(int64(ir.Uint4))},
			in:   []*ir.Tensor{{DType: ir.Int4, Shape: mvSh(2), Data: []int8{-1, 7}}},
			want: []*ir.Tensor{{DType: ir.Uint4, Shape: mvSh(2), Data: []uint8{15, 7}}}},
		{name: "bitcast uint4 to int4", op: "BitCast", opset: 26, attrs: ir.Attrs{"to": mvAInt(int64(ir.Int4))},
			in:   []*ir.Tensor{{DType: ir.Uint4, Shape: mvSh(2), Data: []uint8{8, 7}}},
			want: []*ir.Tensor{{DType: ir.Int4, Shape: mvSh(2), Data: []int8{-8, 7}}}},
		{name: "bitcast bool to uint8", op: "BitCast", opset: 26, attrs: ir.Attrs{"to": mvAInt(int64(ir.Uint8))}, in: []*ir.Tensor{ir.FromSlice([]bool{true, false})},
			want: []*ir.Tensor{ir.FromSlice([]uint8{1, 0})}},
		{name: "bitcast width mismatch", op: "BitCast", opset: 26, attrs: ir.Attrs{"to": mvAInt(int64(ir.Int64))}, in: []*ir.Tensor{x}, wantErr: true},
		// One 2x2 block over a 3x3 image with stride 1: four blocks, each
		// pixel gets the sum of the blocks covering it.
		{name: "col2im", op: "Col2Im", in: []*ir.Tensor{mvF32(mvSh(1, 4, 4), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), mvI64v(3, 3), mvI64v(2, 2)},
			want: []*ir.Tensor{mvF32(mvSh(1, 1, 3, 3), 1, 2, 1, 2, 4, 2, 1, 2, 1)}},
		{name: "col2im block count mismatch", op: "Col2Im", in: []*ir.Tensor{mvF32(mvSh(1, 4, 3), mvIota(12)...), mvI64v(3, 3), mvI64v(2, 2)}, wantErr: true},
	})
}

// TestMovementDropoutTraining checks the statistics and scaling of a
// seeded training-mode dropout.
func TestMovementDropoutTraining(t *testing.T) {
	n := 10000
	x := mvF32(mvSh(int64(n)), make([]float32, n)...)
	for i := range x.F32() {
		x.F32()[i] = 1
	}
	out, err := mvRunNode(mvCase{name: "d", op: "Dropout", opset: 13, nOut: 2, attrs: ir.Attrs{"seed": mvAInt(3)},
		in: []*ir.Tensor{x, mvF32(mvSh(), 0.25), ir.Scalar(true)}})
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	mask := ir.Data[bool](out[1])
	for i, v := range out[0].F32() {
		if mask[i] {
			kept++
			if math.Abs(float64(v)-1/0.75) > 1e-6 {
				t.Fatalf("kept value %g, want %g", v, 1/0.75)
			}
		} else if v != 0 {
			t.Fatalf("dropped value %g", v)
		}
	}
	if frac := float64(kept) / float64(n); math.Abs(frac-0.75) > 0.03 {
		t.Fatalf("kept fraction %g, want about 0.75", frac)
	}
}
