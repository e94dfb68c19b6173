package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestMovementConcatSplit(t *testing.T) {
	a := mvF32(mvSh(2, 2), 1, 2, 3, 4)
	b := mvF32(mvSh(2, 1), 5, 6)
	x := mvF32(mvSh(2, 6), mvIota(12)...)
	mvRunCases(t, []mvCase{
		{name: "concat axis 1", op: "Concat", attrs: ir.Attrs{"axis": mvAInt(1)}, in: []*ir.Tensor{a, b},
			want: []*ir.Tensor{mvF32(mvSh(2, 3), 1, 2, 5, 3, 4, 6)}},
		{name: "concat-1 default axis is 1", op: "Concat", opset: 1, in: []*ir.Tensor{a, b},
			want: []*ir.Tensor{mvF32(mvSh(2, 3), 1, 2, 5, 3, 4, 6)}},
		{name: "concat-4 requires axis", op: "Concat", opset: 4, in: []*ir.Tensor{a, b}, wantErr: true},
		{name: "concat negative axis with empty", op: "Concat", attrs: ir.Attrs{"axis": mvAInt(-2)},
			in: []*ir.Tensor{a, mvF32(mvSh(0, 2))}, want: []*ir.Tensor{a}},
		{name: "concat mismatch", op: "Concat", attrs: ir.Attrs{"axis": mvAInt(0)}, in: []*ir.Tensor{a, b}, wantErr: true},
		{name: "split equal", op: "Split", attrs: ir.Attrs{"axis": mvAInt(1)}, in: []*ir.Tensor{x}, nOut: 3,
			want: []*ir.Tensor{mvF32(mvSh(2, 2), 0, 1, 6, 7), mvF32(mvSh(2, 2), 2, 3, 8, 9), mvF32(mvSh(2, 2), 4, 5, 10, 11)}},
		{name: "split-2 attribute", op: "Split", opset: 2, attrs: ir.Attrs{"axis": mvAInt(1), "split": mvAInts(1, 5)}, in: []*ir.Tensor{x}, nOut: 2,
			want: []*ir.Tensor{mvF32(mvSh(2, 1), 0, 6), mvF32(mvSh(2, 5), 1, 2, 3, 4, 5, 7, 8, 9, 10, 11)}},
		{name: "split-13 input with zero part", op: "Split", opset: 13, in: []*ir.Tensor{mvF32(mvSh(3), 1, 2, 3), mvI64v(0, 3)}, nOut: 2,
			want: []*ir.Tensor{mvF32(mvSh(0)), mvF32(mvSh(3), 1, 2, 3)}},
		{name: "split-18 num_outputs uneven", op: "Split", opset: 18, attrs: ir.Attrs{"num_outputs": mvAInt(3)},
			in: []*ir.Tensor{mvF32(mvSh(7), mvIota(7)...)}, nOut: 3,
			want: []*ir.Tensor{mvF32(mvSh(3), 0, 1, 2), mvF32(mvSh(3), 3, 4, 5), mvF32(mvSh(1), 6)}},
		{name: "split uneven without num_outputs", op: "Split", in: []*ir.Tensor{mvF32(mvSh(7), mvIota(7)...)}, nOut: 2, wantErr: true},
		{name: "split sum mismatch", op: "Split", in: []*ir.Tensor{mvF32(mvSh(3), 1, 2, 3), mvI64v(1, 1)}, nOut: 2, wantErr: true},
	})
}

func TestMovementSlice(t *testing.T) {
	x := mvF32(mvSh(2, 4), 1, 2, 3, 4, 5, 6, 7, 8)
	const big = int64(1) << 62
	mvRunCases(t, []mvCase{
		{name: "spec example 1", op: "Slice", in: []*ir.Tensor{x, mvI64v(1, 0), mvI64v(2, 3), mvI64v(0, 1), mvI64v(1, 2)},
			want: []*ir.Tensor{mvF32(mvSh(1, 2), 5, 7)}},
		{name: "spec example 2", op: "Slice", in: []*ir.Tensor{x, mvI64v(0, 1), mvI64v(-1, 1000)},
			want: []*ir.Tensor{mvF32(mvSh(1, 3), 2, 3, 4)}},
		{name: "negative step to the start", op: "Slice", in: []*ir.Tensor{x, mvI64v(-1), mvI64v(-big), mvI64v(1), mvI64v(-1)},
			want: []*ir.Tensor{mvF32(mvSh(2, 4), 4, 3, 2, 1, 8, 7, 6, 5)}},
		{name: "negative step 2", op: "Slice", in: []*ir.Tensor{x, mvI64v(10), mvI64v(0), mvI64v(-1), mvI64v(-2)},
			want: []*ir.Tensor{mvF32(mvSh(2, 2), 4, 2, 8, 6)}},
		{name: "start beyond the end is empty", op: "Slice", in: []*ir.Tensor{x, mvI64v(5), mvI64v(10), mvI64v(1)},
			want: []*ir.Tensor{mvF32(mvSh(2, 0))}},
		{name: "int32 arguments", op: "Slice", in: []*ir.Tensor{x, ir.FromSlice([]int32{1}), ir.FromSlice([]int32{2})},
			want: []*ir.Tensor{mvF32(mvSh(1, 4), 5, 6, 7, 8)}},
		{name: "slice-1 attributes", op: "Slice", opset: 1, attrs: ir.Attrs{"starts": mvAInts(1), "ends": mvAInts(3), "axes": mvAInts(1)},
			in: []*ir.Tensor{x}, want: []*ir.Tensor{mvF32(mvSh(2, 2), 2, 3, 6, 7)}},
		{name: "zero step", op: "Slice", in: []*ir.Tensor{x, mvI64v(0), mvI64v(1), mvI64v(0), mvI64v(0)}, wantErr: true},
		{name: "repeated axis", op: "Slice", in: []*ir.Tensor{x, mvI64v(0, 0), mvI64v(1, 1), mvI64v(0, -2)}, wantErr: true},
	})
}
