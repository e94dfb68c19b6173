package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestMovementGather(t *testing.T) {
	x := mvF32(mvSh(3, 2), 1, 1.2, 2.3, 3.4, 4.5, 5.7)
	mvRunCases(t, []mvCase{
		{name: "gather axis 0", op: "Gather", in: []*ir.Tensor{x, mvI64(mvSh(2, 2), 0, 1, 1, 2)},
			want: []*ir.Tensor{mvF32(mvSh(2, 2, 2), 1, 1.2, 2.3, 3.4, 2.3, 3.4, 4.5, 5.7)}},
		{name: "gather axis 1 negative index int32", op: "Gather", attrs: ir.Attrs{"axis": mvAInt(1)},
			in: []*ir.Tensor{x, ir.FromSlice([]int32{-1})}, want: []*ir.Tensor{mvF32(mvSh(3, 1), 1.2, 3.4, 5.7)}},
		{name: "gather scalar index", op: "Gather", in: []*ir.Tensor{x, mvI64(mvSh(), 2)},
			want: []*ir.Tensor{mvF32(mvSh(2), 4.5, 5.7)}},
		{name: "gather out of range", op: "Gather", in: []*ir.Tensor{x, mvI64v(3)}, wantErr: true},
		{name: "gather float indices", op: "Gather", in: []*ir.Tensor{x, mvF32(mvSh(1), 0)}, wantErr: true},
		{name: "gatherelements axis 1", op: "GatherElements", attrs: ir.Attrs{"axis": mvAInt(1)},
			in:   []*ir.Tensor{mvF32(mvSh(2, 2), 1, 2, 3, 4), mvI64(mvSh(2, 2), 0, 0, 1, 0)},
			want: []*ir.Tensor{mvF32(mvSh(2, 2), 1, 1, 4, 3)}},
		{name: "gatherelements negative", op: "GatherElements",
			in:   []*ir.Tensor{mvF32(mvSh(3, 3), mvIota(9)...), mvI64(mvSh(2, 3), -1, -2, 0, -2, 0, 0)},
			want: []*ir.Tensor{mvF32(mvSh(2, 3), 6, 4, 2, 3, 1, 2)}},
		{name: "gathernd", op: "GatherND", in: []*ir.Tensor{mvF32(mvSh(2, 2), 0, 1, 2, 3), mvI64(mvSh(2, 1), 1, 0)},
			want: []*ir.Tensor{mvF32(mvSh(2, 2), 2, 3, 0, 1)}},
		{name: "gathernd full tuples", op: "GatherND", in: []*ir.Tensor{mvF32(mvSh(2, 2), 0, 1, 2, 3), mvI64(mvSh(2, 2), 0, 0, 1, 1)},
			want: []*ir.Tensor{mvF32(mvSh(2), 0, 3)}},
		{name: "gathernd batch_dims 1", op: "GatherND", attrs: ir.Attrs{"batch_dims": mvAInt(1)},
			in:   []*ir.Tensor{mvF32(mvSh(2, 2, 2), mvIota(8)...), mvI64(mvSh(2, 1), 1, 0)},
			want: []*ir.Tensor{mvF32(mvSh(2, 2), 2, 3, 4, 5)}},
	})
}

func TestMovementScatter(t *testing.T) {
	data := mvF32(mvSh(1, 5), 1, 2, 3, 4, 5)
	idx := mvI64(mvSh(1, 2), 1, 1)
	upd := mvF32(mvSh(1, 2), 1.1, 2.1)
	mvRunCases(t, []mvCase{
		{name: "elements none keeps the last", op: "ScatterElements", attrs: ir.Attrs{"axis": mvAInt(1)}, in: []*ir.Tensor{data, idx, upd},
			want: []*ir.Tensor{mvF32(mvSh(1, 5), 1, 2.1, 3, 4, 5)}},
		{name: "elements add", op: "ScatterElements", attrs: ir.Attrs{"axis": mvAInt(1), "reduction": mvAStr("add")}, in: []*ir.Tensor{data, idx, upd},
			want: []*ir.Tensor{mvF32(mvSh(1, 5), 1, 2+1.1+2.1, 3, 4, 5)}},
		{name: "elements max", op: "ScatterElements", attrs: ir.Attrs{"axis": mvAInt(1), "reduction": mvAStr("max")}, in: []*ir.Tensor{data, idx, upd},
			want: []*ir.Tensor{mvF32(mvSh(1, 5), 1, 2.1, 3, 4, 5)}},
		{name: "elements min int32", op: "ScatterElements", attrs: ir.Attrs{"axis": mvAInt(1), "reduction": mvAStr("min")},
			in:   []*ir.Tensor{ir.FromSlice([]int32{5, 5}, 1, 2), mvI64(mvSh(1, 2), 0, -1), ir.FromSlice([]int32{7, 2}, 1, 2)},
			want: []*ir.Tensor{ir.FromSlice([]int32{5, 2}, 1, 2)}},
		{name: "elements mul float16", op: "ScatterElements", attrs: ir.Attrs{"reduction": mvAStr("mul")},
			in:   []*ir.Tensor{ir.FromSlice([]ir.F16{ir.NewFloat16(3)}), mvI64v(0), ir.FromSlice([]ir.F16{ir.NewFloat16(2)})},
			want: []*ir.Tensor{ir.FromSlice([]ir.F16{ir.NewFloat16(6)})}},
		{name: "scatter-9 alias", op: "Scatter", opset: 9, attrs: ir.Attrs{"axis": mvAInt(1)}, in: []*ir.Tensor{data, idx, upd},
			want: []*ir.Tensor{mvF32(mvSh(1, 5), 1, 2.1, 3, 4, 5)}},
		{name: "bad reduction", op: "ScatterElements", attrs: ir.Attrs{"reduction": mvAStr("avg")}, in: []*ir.Tensor{data, idx, upd}, wantErr: true},
		{name: "string reduction rejected", op: "ScatterElements", attrs: ir.Attrs{"reduction": mvAStr("add")},
			in: []*ir.Tensor{ir.FromSlice([]string{"a"}), mvI64v(0), ir.FromSlice([]string{"b"})}, wantErr: true},
		{name: "nd slices", op: "ScatterND", in: []*ir.Tensor{mvF32(mvSh(2, 2), 1, 2, 3, 4), mvI64(mvSh(1, 1), 1), mvF32(mvSh(1, 2), 9, 8)},
			want: []*ir.Tensor{mvF32(mvSh(2, 2), 1, 2, 9, 8)}},
		{name: "nd add elements", op: "ScatterND", attrs: ir.Attrs{"reduction": mvAStr("add")},
			in:   []*ir.Tensor{mvF32(mvSh(2, 2), 1, 2, 3, 4), mvI64(mvSh(2, 2), 0, 1, 0, 1), mvF32(mvSh(2), 10, 20)},
			want: []*ir.Tensor{mvF32(mvSh(2, 2), 1, 32, 3, 4)}},
		{name: "nd wrong updates shape", op: "ScatterND", in: []*ir.Tensor{mvF32(mvSh(2, 2), 1, 2, 3, 4), mvI64(mvSh(1, 1), 1), mvF32(mvSh(1, 3), 9, 8, 7)}, wantErr: true},
		{name: "tensorscatter linear", op: "TensorScatter", opset: 24, attrs: ir.Attrs{"axis": mvAInt(1)},
			in:   []*ir.Tensor{mvF32(mvSh(2, 3), 0, 0, 0, 0, 0, 0), mvF32(mvSh(2, 1), 1, 2), mvI64v(2, 0)},
			want: []*ir.Tensor{mvF32(mvSh(2, 3), 0, 0, 1, 2, 0, 0)}},
		{name: "tensorscatter circular", op: "TensorScatter", opset: 24, attrs: ir.Attrs{"axis": mvAInt(1), "mode": mvAStr("circular")},
			in:   []*ir.Tensor{mvF32(mvSh(1, 3), 0, 0, 0), mvF32(mvSh(1, 2), 1, 2), mvI64v(2)},
			want: []*ir.Tensor{mvF32(mvSh(1, 3), 2, 0, 1)}},
		{name: "tensorscatter linear overflow", op: "TensorScatter", opset: 24, attrs: ir.Attrs{"axis": mvAInt(1)},
			in: []*ir.Tensor{mvF32(mvSh(1, 3), 0, 0, 0), mvF32(mvSh(1, 2), 1, 2), mvI64v(2)}, wantErr: true},
	})
}
