package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestMovementConstOps(t *testing.T) {
	x := mvF32(mvSh(2, 3, 4), mvIota(24)...)
	mvRunCases(t, []mvCase{
		{name: "shape", op: "Shape", in: []*ir.Tensor{x}, want: []*ir.Tensor{mvI64v(2, 3, 4)}},
		{name: "shape start end", op: "Shape", attrs: ir.Attrs{"start": mvAInt(-2), "end": mvAInt(10)}, in: []*ir.Tensor{x}, want: []*ir.Tensor{mvI64v(3, 4)}},
		{name: "shape start after end", op: "Shape", attrs: ir.Attrs{"start": mvAInt(2), "end": mvAInt(1)}, in: []*ir.Tensor{x}, want: []*ir.Tensor{mvI64(mvSh(0))}},
		{name: "size", op: "Size", in: []*ir.Tensor{x}, want: []*ir.Tensor{mvI64(mvSh(), 24)}},
		{name: "constantofshape default", op: "ConstantOfShape", in: []*ir.Tensor{mvI64v(2)}, want: []*ir.Tensor{mvF32(mvSh(2), 0, 0)}},
		{name: "constantofshape int value", op: "ConstantOfShape", attrs: ir.Attrs{"value": mvATensor(ir.FromSlice([]int32{7}))},
			in: []*ir.Tensor{mvI64v(1, 2)}, want: []*ir.Tensor{ir.FromSlice([]int32{7, 7}, 1, 2)}},
		{name: "constantofshape empty", op: "ConstantOfShape", in: []*ir.Tensor{mvI64v(0)}, want: []*ir.Tensor{mvF32(mvSh(0))}},
		{name: "constant value_ints", op: "Constant", attrs: ir.Attrs{"value_ints": mvAInts(1, 2)}, want: []*ir.Tensor{mvI64v(1, 2)}},
		{name: "constant value_float", op: "Constant", attrs: ir.Attrs{"value_float": mvAFloat(1.5)}, want: []*ir.Tensor{mvF32(mvSh(), 1.5)}},
		{name: "constant densified sparse_value", op: "Constant", attrs: ir.Attrs{"sparse_value": {Kind: ir.AttrSparseTensor, T: mvF32(mvSh(2), 0, 3)}},
			want: []*ir.Tensor{mvF32(mvSh(2), 0, 3)}},
		{name: "constant two values", op: "Constant", attrs: ir.Attrs{"value_float": mvAFloat(1.5), "value_int": mvAInt(1)}, wantErr: true},
		{name: "range int32 negative delta", op: "Range", in: []*ir.Tensor{ir.Scalar(int32(10)), ir.Scalar(int32(6)), ir.Scalar(int32(-3))},
			want: []*ir.Tensor{ir.FromSlice([]int32{10, 7})}},
		{name: "range float", op: "Range", in: []*ir.Tensor{ir.Scalar(float32(1)), ir.Scalar(float32(2)), ir.Scalar(float32(0.25))},
			want: []*ir.Tensor{mvF32(mvSh(4), 1, 1.25, 1.5, 1.75)}},
		{name: "range empty", op: "Range", in: []*ir.Tensor{mvI64(mvSh(), 3), mvI64(mvSh(), 3), mvI64(mvSh(), 1)}, want: []*ir.Tensor{mvI64(mvSh(0))}},
		{name: "range float16", op: "Range", opset: 27, in: []*ir.Tensor{ir.Scalar(ir.NewFloat16(1)), ir.Scalar(ir.NewFloat16(3)), ir.Scalar(ir.NewFloat16(1))},
			want: []*ir.Tensor{ir.FromSlice([]ir.F16{ir.NewFloat16(1), ir.NewFloat16(2)})}},
		{name: "range zero delta", op: "Range", in: []*ir.Tensor{mvI64(mvSh(), 3), mvI64(mvSh(), 4), mvI64(mvSh(), 0)}, wantErr: true},
		{name: "eyelike k=1 int32", op: "EyeLike", attrs: ir.Attrs{"k": mvAInt(1), "dtype": mvAInt(int64(ir.Int32))}, in: []*ir.Tensor{mvF32(mvSh(2, 3), mvIota(6)...)},
			want: []*ir.Tensor{ir.FromSlice([]int32{0, 1, 0, 0, 0, 1}, 2, 3)}},
		{name: "eyelike k=-1", op: "EyeLike", attrs: ir.Attrs{"k": mvAInt(-1)}, in: []*ir.Tensor{mvF32(mvSh(2, 2), mvIota(4)...)},
			want: []*ir.Tensor{mvF32(mvSh(2, 2), 0, 0, 1, 0)}},
	})
}
