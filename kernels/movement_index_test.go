package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestMovementIndexOps(t *testing.T) {
	x := mvF32(mvSh(2, 4), 0, 1, 2, 3, 3, 3, 1, 3)
	u := ir.FromSlice([]uint64{5, 1, 1 << 63, 7})
	mvRunCases(t, []mvCase{
		{name: "topk largest ties lower index first", op: "TopK", nOut: 2, in: []*ir.Tensor{x, mvI64v(3)},
			want: []*ir.Tensor{mvF32(mvSh(2, 3), 3, 2, 1, 3, 3, 3), mvI64(mvSh(2, 3), 3, 2, 1, 0, 1, 3)}},
		{name: "topk smallest axis 0", op: "TopK", nOut: 2, attrs: ir.Attrs{"axis": mvAInt(0), "largest": mvAInt(0)}, in: []*ir.Tensor{x, mvI64v(1)},
			want: []*ir.Tensor{mvF32(mvSh(1, 4), 0, 1, 1, 3), mvI64(mvSh(1, 4), 0, 0, 1, 0)}},
		{name: "topk-1 k attribute", op: "TopK", opset: 1, nOut: 2, attrs: ir.Attrs{"k": mvAInt(1)}, in: []*ir.Tensor{x},
			want: []*ir.Tensor{mvF32(mvSh(2, 1), 3, 3), mvI64(mvSh(2, 1), 3, 0)}},
		{name: "topk uint64 exact", op: "TopK", nOut: 2, in: []*ir.Tensor{u, mvI64v(2)},
			want: []*ir.Tensor{ir.FromSlice([]uint64{1 << 63, 7}), mvI64v(2, 3)}},
		{name: "topk k too large", op: "TopK", nOut: 2, in: []*ir.Tensor{x, mvI64v(5)}, wantErr: true},
		{name: "argmax", op: "ArgMax", attrs: ir.Attrs{"axis": mvAInt(1)}, in: []*ir.Tensor{x},
			want: []*ir.Tensor{mvI64(mvSh(2, 1), 3, 0)}},
		{name: "argmax last index no keepdims", op: "ArgMax", attrs: ir.Attrs{"axis": mvAInt(1), "keepdims": mvAInt(0), "select_last_index": mvAInt(1)},
			in: []*ir.Tensor{x}, want: []*ir.Tensor{mvI64v(3, 3)}},
		{name: "argmin default axis", op: "ArgMin", in: []*ir.Tensor{x}, want: []*ir.Tensor{mvI64(mvSh(1, 4), 0, 0, 1, 0)}},
		{name: "argmin last index", op: "ArgMin", attrs: ir.Attrs{"select_last_index": mvAInt(1)}, in: []*ir.Tensor{mvF32(mvSh(2), 1, 1)},
			want: []*ir.Tensor{mvI64(mvSh(1), 1)}},
		{name: "nonzero", op: "NonZero", in: []*ir.Tensor{ir.FromSlice([]bool{true, false, false, true}, 2, 2)},
			want: []*ir.Tensor{mvI64(mvSh(2, 2), 0, 1, 0, 1)}},
		{name: "nonzero strings", op: "NonZero", in: []*ir.Tensor{ir.FromSlice([]string{"", "x"})},
			want: []*ir.Tensor{mvI64(mvSh(1, 1), 1)}},
		{name: "unique sorted", op: "Unique", nOut: 4, in: []*ir.Tensor{mvF32(mvSh(6), 2, 1, 1, 3, 4, 3)},
			want: []*ir.Tensor{mvF32(mvSh(4), 1, 2, 3, 4), mvI64v(1, 0, 3, 4), mvI64v(1, 0, 0, 2, 3, 2), mvI64v(2, 1, 2, 1)}},
		{name: "unique unsorted", op: "Unique", nOut: 4, attrs: ir.Attrs{"sorted": mvAInt(0)}, in: []*ir.Tensor{mvF32(mvSh(6), 2, 1, 1, 3, 4, 3)},
			want: []*ir.Tensor{mvF32(mvSh(4), 2, 1, 3, 4), mvI64v(0, 1, 3, 4), mvI64v(0, 1, 1, 2, 3, 2), mvI64v(1, 2, 2, 1)}},
		{name: "unique axis 0", op: "Unique", nOut: 4, attrs: ir.Attrs{"axis": mvAInt(0)},
			in:   []*ir.Tensor{mvF32(mvSh(3, 3), 1, 0, 0, 1, 0, 0, 2, 3, 4)},
			want: []*ir.Tensor{mvF32(mvSh(2, 3), 1, 0, 0, 2, 3, 4), mvI64v(0, 2), mvI64v(0, 0, 1), mvI64v(2, 1)}},
		{name: "unique strings", op: "Unique", in: []*ir.Tensor{ir.FromSlice([]string{"b", "a", "b"})},
			want: []*ir.Tensor{ir.FromSlice([]string{"a", "b"})}},
	})
}

func TestMovementSelectOps(t *testing.T) {
	m := mvF32(mvSh(3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9)
	mvRunCases(t, []mvCase{
		{name: "onehot default axis", op: "OneHot", in: []*ir.Tensor{mvI64v(1, -1, 5), mvF32(mvSh(), 3), mvF32(mvSh(2), 0, 1)},
			want: []*ir.Tensor{mvF32(mvSh(3, 3), 0, 1, 0, 0, 0, 1, 0, 0, 0)}},
		{name: "onehot axis 0", op: "OneHot", attrs: ir.Attrs{"axis": mvAInt(0)}, in: []*ir.Tensor{mvI64v(0, 2), mvI64(mvSh(), 3), mvI64v(5, 7)},
			want: []*ir.Tensor{mvI64(mvSh(3, 2), 7, 5, 5, 5, 5, 7)}},
		{name: "triu", op: "Trilu", in: []*ir.Tensor{m}, want: []*ir.Tensor{mvF32(mvSh(3, 3), 1, 2, 3, 0, 5, 6, 0, 0, 9)}},
		{name: "triu k=1", op: "Trilu", in: []*ir.Tensor{m, mvI64(mvSh(), 1)}, want: []*ir.Tensor{mvF32(mvSh(3, 3), 0, 2, 3, 0, 0, 6, 0, 0, 0)}},
		{name: "tril k=-1", op: "Trilu", attrs: ir.Attrs{"upper": mvAInt(0)}, in: []*ir.Tensor{m, mvI64(mvSh(), -1)},
			want: []*ir.Tensor{mvF32(mvSh(3, 3), 0, 0, 0, 4, 0, 0, 7, 8, 0)}},
		{name: "reversesequence time major", op: "ReverseSequence", attrs: ir.Attrs{"batch_axis": mvAInt(1), "time_axis": mvAInt(0)},
			in:   []*ir.Tensor{mvF32(mvSh(3, 2), 1, 2, 3, 4, 5, 6), mvI64v(3, 1)},
			want: []*ir.Tensor{mvF32(mvSh(3, 2), 5, 2, 3, 4, 1, 6)}},
		{name: "reversesequence batch major", op: "ReverseSequence", attrs: ir.Attrs{"batch_axis": mvAInt(0), "time_axis": mvAInt(1)},
			in:   []*ir.Tensor{mvF32(mvSh(2, 3), 1, 2, 3, 4, 5, 6), mvI64v(2, 0)},
			want: []*ir.Tensor{mvF32(mvSh(2, 3), 2, 1, 3, 4, 5, 6)}},
		{name: "compress axis 1", op: "Compress", attrs: ir.Attrs{"axis": mvAInt(1)}, in: []*ir.Tensor{m, ir.FromSlice([]bool{false, true})},
			want: []*ir.Tensor{mvF32(mvSh(3, 1), 2, 5, 8)}},
		{name: "compress flat", op: "Compress", in: []*ir.Tensor{m, ir.FromSlice([]bool{false, true, true})},
			want: []*ir.Tensor{mvF32(mvSh(2), 2, 3)}},
		{name: "compress beyond axis", op: "Compress", attrs: ir.Attrs{"axis": mvAInt(0)}, in: []*ir.Tensor{m, ir.FromSlice([]bool{false, false, false, true})}, wantErr: true},
	})
}
