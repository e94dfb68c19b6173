package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestMovementPad(t *testing.T) {
	x := mvF32(mvSh(3, 2), 1, 1.2, 2.3, 3.4, 4.5, 5.7)
	pads := mvI64v(0, 2, 0, 0)
	mvRunCases(t, []mvCase{
		{name: "constant", op: "Pad", in: []*ir.Tensor{x, pads, mvF32(mvSh(), 9)},
			want: []*ir.Tensor{mvF32(mvSh(3, 4), 9, 9, 1, 1.2, 9, 9, 2.3, 3.4, 9, 9, 4.5, 5.7)}},
		{name: "reflect", op: "Pad", attrs: ir.Attrs{"mode": mvAStr("reflect")}, in: []*ir.Tensor{x, pads},
			want: []*ir.Tensor{mvF32(mvSh(3, 4), 1, 1.2, 1, 1.2, 2.3, 3.4, 2.3, 3.4, 4.5, 5.7, 4.5, 5.7)}},
		{name: "edge", op: "Pad", attrs: ir.Attrs{"mode": mvAStr("edge")}, in: []*ir.Tensor{x, pads},
			want: []*ir.Tensor{mvF32(mvSh(3, 4), 1, 1, 1, 1.2, 2.3, 2.3, 2.3, 3.4, 4.5, 4.5, 4.5, 5.7)}},
		{name: "wrap", op: "Pad", attrs: ir.Attrs{"mode": mvAStr("wrap")}, in: []*ir.Tensor{x, mvI64v(2, 1, 1, 1)},
			want: []*ir.Tensor{mvF32(mvSh(6, 4),
				3.4, 2.3, 3.4, 2.3, 5.7, 4.5, 5.7, 4.5, 1.2, 1, 1.2, 1, 3.4, 2.3, 3.4, 2.3, 5.7, 4.5, 5.7, 4.5, 1.2, 1, 1.2, 1)}},
		{name: "wrap before opset 19", op: "Pad", opset: 18, attrs: ir.Attrs{"mode": mvAStr("wrap")}, in: []*ir.Tensor{x, pads}, wantErr: true},
		{name: "reflect repeatedly", op: "Pad", attrs: ir.Attrs{"mode": mvAStr("reflect")},
			in: []*ir.Tensor{mvF32(mvSh(3), 1, 2, 3), mvI64v(5, 0)}, want: []*ir.Tensor{mvF32(mvSh(8), 2, 1, 2, 3, 2, 1, 2, 3)}},
		{name: "negative pads crop", op: "Pad", in: []*ir.Tensor{mvF32(mvSh(4), 1, 2, 3, 4), mvI64v(-1, 1)},
			want: []*ir.Tensor{mvF32(mvSh(4), 2, 3, 4, 0)}},
		{name: "axes input", op: "Pad", in: []*ir.Tensor{x, mvI64v(1, 0), nil, mvI64v(-1)},
			want: []*ir.Tensor{mvF32(mvSh(3, 3), 0, 1, 1.2, 0, 2.3, 3.4, 0, 4.5, 5.7)}},
		{name: "pad-2 attributes", op: "Pad", opset: 2, attrs: ir.Attrs{"pads": mvAInts(1, 0, 0, 0), "value": mvAFloat(7)}, in: []*ir.Tensor{x},
			want: []*ir.Tensor{mvF32(mvSh(4, 2), 7, 7, 1, 1.2, 2.3, 3.4, 4.5, 5.7)}},
		{name: "pad-1 paddings", op: "Pad", opset: 1, attrs: ir.Attrs{"paddings": mvAInts(0, 0, 0, 1), "mode": mvAStr("edge")}, in: []*ir.Tensor{x},
			want: []*ir.Tensor{mvF32(mvSh(3, 3), 1, 1.2, 1.2, 2.3, 3.4, 3.4, 4.5, 5.7, 5.7)}},
		{name: "strings constant", op: "Pad", in: []*ir.Tensor{ir.FromSlice([]string{"a"}), mvI64v(1, 1), ir.Scalar("z")},
			want: []*ir.Tensor{ir.FromSlice([]string{"z", "a", "z"})}},
		{name: "bad mode", op: "Pad", attrs: ir.Attrs{"mode": mvAStr("mirror")}, in: []*ir.Tensor{x, pads}, wantErr: true},
		{name: "center crop and pad", op: "CenterCropPad", in: []*ir.Tensor{mvF32(mvSh(3, 2), 1, 2, 3, 4, 5, 6), mvI64v(2, 4)},
			want: []*ir.Tensor{mvF32(mvSh(2, 4), 0, 1, 2, 0, 0, 3, 4, 0)}},
		{name: "center crop odd", op: "CenterCropPad", attrs: ir.Attrs{"axes": mvAInts(-1)},
			in: []*ir.Tensor{mvF32(mvSh(1, 4), 1, 2, 3, 4), ir.FromSlice([]int32{1})}, want: []*ir.Tensor{mvF32(mvSh(1, 1), 2)}},
	})
}

func TestMovementExpandTile(t *testing.T) {
	mvRunCases(t, []mvCase{
		{name: "expand", op: "Expand", in: []*ir.Tensor{mvF32(mvSh(3, 1), 1, 2, 3), mvI64v(2, 1, 2)},
			want: []*ir.Tensor{mvF32(mvSh(2, 3, 2), 1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3)}},
		{name: "expand to smaller shape keeps input dims", op: "Expand", in: []*ir.Tensor{mvF32(mvSh(2, 2), 1, 2, 3, 4), mvI64v(1)},
			want: []*ir.Tensor{mvF32(mvSh(2, 2), 1, 2, 3, 4)}},
		{name: "expand incompatible", op: "Expand", in: []*ir.Tensor{mvF32(mvSh(2), 1, 2), mvI64v(3)}, wantErr: true},
		{name: "tile", op: "Tile", in: []*ir.Tensor{mvF32(mvSh(2, 2), 1, 2, 3, 4), mvI64v(1, 2)},
			want: []*ir.Tensor{mvF32(mvSh(2, 4), 1, 2, 1, 2, 3, 4, 3, 4)}},
		{name: "tile rows", op: "Tile", in: []*ir.Tensor{mvF32(mvSh(1, 2), 1, 2), mvI64v(3, 1)},
			want: []*ir.Tensor{mvF32(mvSh(3, 2), 1, 2, 1, 2, 1, 2)}},
		{name: "tile-1 tiles and axis", op: "Tile", opset: 1, in: []*ir.Tensor{mvF32(mvSh(1, 2), 1, 2), mvI64(mvSh(), 2), mvI64(mvSh(), 0)},
			want: []*ir.Tensor{mvF32(mvSh(2, 2), 1, 2, 1, 2)}},
		{name: "tile zero", op: "Tile", in: []*ir.Tensor{mvF32(mvSh(1, 2), 1, 2), mvI64v(0, 1)}, want: []*ir.Tensor{mvF32(mvSh(0, 2))}},
		{name: "tile wrong length", op: "Tile", in: []*ir.Tensor{mvF32(mvSh(1, 2), 1, 2), mvI64v(2)}, wantErr: true},
	})
}
