package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestMovementReshapeLike(t *testing.T) {
	x := mvF32(mvSh(2, 3, 4), mvIota(24)...)
	mvRunCases(t, []mvCase{
		{name: "reshape zero copies and -1 infers", op: "Reshape", in: []*ir.Tensor{x, mvI64v(0, -1)},
			want: []*ir.Tensor{mvF32(mvSh(2, 12), mvIota(24)...)}},
		{name: "reshape allowzero keeps an empty dim", op: "Reshape", attrs: ir.Attrs{"allowzero": mvAInt(1)},
			in: []*ir.Tensor{mvF32(mvSh(0, 3)), mvI64v(3, 0)}, want: []*ir.Tensor{mvF32(mvSh(3, 0))}},
		{name: "reshape-1 shape attribute", op: "Reshape", opset: 1, attrs: ir.Attrs{"shape": mvAInts(4, -1), "consumed_inputs": mvAInts(0)},
			in: []*ir.Tensor{x}, want: []*ir.Tensor{mvF32(mvSh(4, 6), mvIota(24)...)}},
		{name: "reshape bad count", op: "Reshape", in: []*ir.Tensor{x, mvI64v(5, -1)}, wantErr: true},
		{name: "reshape strings", op: "Reshape", in: []*ir.Tensor{ir.FromSlice([]string{"a", "b"}), mvI64v(1, 2)},
			want: []*ir.Tensor{ir.FromSlice([]string{"a", "b"}, 1, 2)}},
		{name: "flatten axis 0", op: "Flatten", attrs: ir.Attrs{"axis": mvAInt(0)}, in: []*ir.Tensor{x},
			want: []*ir.Tensor{mvF32(mvSh(1, 24), mvIota(24)...)}},
		{name: "flatten negative axis", op: "Flatten", attrs: ir.Attrs{"axis": mvAInt(-1)}, in: []*ir.Tensor{x},
			want: []*ir.Tensor{mvF32(mvSh(6, 4), mvIota(24)...)}},
		{name: "flatten axis out of range", op: "Flatten", attrs: ir.Attrs{"axis": mvAInt(4)}, in: []*ir.Tensor{x}, wantErr: true},
		{name: "squeeze-1 axes attribute", op: "Squeeze", opset: 1, attrs: ir.Attrs{"axes": mvAInts(0, -1)},
			in: []*ir.Tensor{mvF32(mvSh(1, 3, 1), 1, 2, 3)}, want: []*ir.Tensor{mvF32(mvSh(3), 1, 2, 3)}},
		{name: "squeeze all ones", op: "Squeeze", in: []*ir.Tensor{mvF32(mvSh(1, 3, 1), 1, 2, 3)},
			want: []*ir.Tensor{mvF32(mvSh(3), 1, 2, 3)}},
		{name: "squeeze-13 axes input", op: "Squeeze", in: []*ir.Tensor{mvF32(mvSh(1, 3, 1), 1, 2, 3), mvI64v(2)},
			want: []*ir.Tensor{mvF32(mvSh(1, 3), 1, 2, 3)}},
		{name: "squeeze non-one axis", op: "Squeeze", in: []*ir.Tensor{mvF32(mvSh(1, 3, 1), 1, 2, 3), mvI64v(1)}, wantErr: true},
		{name: "unsqueeze-11 attribute", op: "Unsqueeze", opset: 11, attrs: ir.Attrs{"axes": mvAInts(-1, 0)},
			in: []*ir.Tensor{mvF32(mvSh(3), 1, 2, 3)}, want: []*ir.Tensor{mvF32(mvSh(1, 3, 1), 1, 2, 3)}},
		{name: "unsqueeze-13 unsorted axes", op: "Unsqueeze", in: []*ir.Tensor{mvF32(mvSh(2), 1, 2), mvI64v(2, 0)},
			want: []*ir.Tensor{mvF32(mvSh(1, 2, 1), 1, 2)}},
		{name: "unsqueeze repeated axis", op: "Unsqueeze", in: []*ir.Tensor{mvF32(mvSh(2), 1, 2), mvI64v(0, 0)}, wantErr: true},
		{name: "identity", op: "Identity", in: []*ir.Tensor{x}, want: []*ir.Tensor{x}},
	})
}

func TestMovementIdentitySequence(t *testing.T) {
	seq := &ir.Tensor{Kind: ir.KindSequence, DType: ir.Float32, Items: []*ir.Tensor{mvF32(mvSh(1), 1)}}
	f, err := buildIdentity(&Build{Node: &ir.Node{Op: "Identity"}})
	if err != nil {
		t.Fatal(err)
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1)}
	if err := f(c, []*ir.Tensor{seq}); err != nil {
		t.Fatal(err)
	}
	if c.Outs[0] != seq {
		t.Fatalf("sequence was not passed through")
	}
}
