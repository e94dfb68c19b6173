package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestMovementTranspose(t *testing.T) {
	x := mvF32(mvSh(2, 3), 0, 1, 2, 3, 4, 5)
	x3 := mvF32(mvSh(2, 2, 2), mvIota(8)...)
	// DepthToSpace example from the spec: N=1, C=8, H=2, W=3, blocksize 2.
	d2s := mvF32(mvSh(1, 8, 2, 3), mvIota(48)...)
	mvRunCases(t, []mvCase{
		{name: "default reverses", op: "Transpose", in: []*ir.Tensor{x},
			want: []*ir.Tensor{mvF32(mvSh(3, 2), 0, 3, 1, 4, 2, 5)}},
		{name: "perm 1 0 2", op: "Transpose", attrs: ir.Attrs{"perm": mvAInts(1, 0, 2)}, in: []*ir.Tensor{x3},
			want: []*ir.Tensor{mvF32(mvSh(2, 2, 2), 0, 1, 4, 5, 2, 3, 6, 7)}},
		{name: "perm 2 0 1", op: "Transpose", attrs: ir.Attrs{"perm": mvAInts(2, 0, 1)}, in: []*ir.Tensor{x3},
			want: []*ir.Tensor{mvF32(mvSh(2, 2, 2), 0, 2, 4, 6, 1, 3, 5, 7)}},
		{name: "bad perm", op: "Transpose", attrs: ir.Attrs{"perm": mvAInts(0, 0)}, in: []*ir.Tensor{x}, wantErr: true},
		{name: "bool", op: "Transpose", in: []*ir.Tensor{ir.FromSlice([]bool{true, false}, 1, 2)},
			want: []*ir.Tensor{ir.FromSlice([]bool{true, false}, 2, 1)}},
		{name: "depthtospace DCR", op: "DepthToSpace", attrs: ir.Attrs{"blocksize": mvAInt(2)}, in: []*ir.Tensor{d2s},
			want: []*ir.Tensor{mvF32(mvSh(1, 2, 4, 6),
				0, 12, 1, 13, 2, 14, 24, 36, 25, 37, 26, 38, 3, 15, 4, 16, 5, 17, 27, 39, 28, 40, 29, 41,
				6, 18, 7, 19, 8, 20, 30, 42, 31, 43, 32, 44, 9, 21, 10, 22, 11, 23, 33, 45, 34, 46, 35, 47)}},
		{name: "depthtospace CRD", op: "DepthToSpace", attrs: ir.Attrs{"blocksize": mvAInt(2), "mode": mvAStr("CRD")}, in: []*ir.Tensor{d2s},
			want: []*ir.Tensor{mvF32(mvSh(1, 2, 4, 6),
				0, 6, 1, 7, 2, 8, 12, 18, 13, 19, 14, 20, 3, 9, 4, 10, 5, 11, 15, 21, 16, 22, 17, 23,
				24, 30, 25, 31, 26, 32, 36, 42, 37, 43, 38, 44, 27, 33, 28, 34, 29, 35, 39, 45, 40, 46, 41, 47)}},
		{name: "spacetodepth", op: "SpaceToDepth", attrs: ir.Attrs{"blocksize": mvAInt(2)},
			in:   []*ir.Tensor{mvF32(mvSh(1, 1, 2, 4), mvIota(8)...)},
			want: []*ir.Tensor{mvF32(mvSh(1, 4, 1, 2), 0, 2, 1, 3, 4, 6, 5, 7)}},
		{name: "spacetodepth indivisible", op: "SpaceToDepth", attrs: ir.Attrs{"blocksize": mvAInt(3)},
			in: []*ir.Tensor{mvF32(mvSh(1, 1, 2, 4), mvIota(8)...)}, wantErr: true},
	})
}

// TestMovementDepthSpaceRoundTrip: SpaceToDepth undoes DepthToSpace (DCR).
func TestMovementDepthSpaceRoundTrip(t *testing.T) {
	x := mvF32(mvSh(2, 12, 3, 2), mvIota(144)...)
	y, err := mvRunNode(mvCase{name: "d2s", op: "DepthToSpace", attrs: ir.Attrs{"blocksize": mvAInt(2)}, in: []*ir.Tensor{x}})
	if err != nil {
		t.Fatal(err)
	}
	z, err := mvRunNode(mvCase{name: "s2d", op: "SpaceToDepth", attrs: ir.Attrs{"blocksize": mvAInt(2)}, in: []*ir.Tensor{y[0]}})
	if err != nil {
		t.Fatal(err)
	}
	if !mvSameInts(z[0].Shape, x.Shape) || !mvEqualF32(z[0].F32(), x.F32()) {
		t.Fatalf("round trip changed the tensor")
	}
}

func mvEqualF32(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
