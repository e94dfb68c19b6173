package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestMovementHostileInputs: absurd shapes and parameters give errors (or
// empty results), never panics or huge allocations.
func TestMovementHostileInputs(t *testing.T) {
	x := mvF32(mvSh(2, 2), 1, 2, 3, 4)
	empty := mvF32(mvSh(0, 2))
	const big = math.MaxInt64
	cases := []mvCase{
		{name: "reshape overflow", op: "Reshape", in: []*ir.Tensor{empty, mvI64v(1<<62, 4, 0)}},
		{name: "tile overflow", op: "Tile", in: []*ir.Tensor{x, mvI64v(big, big)}},
		{name: "tile empty huge", op: "Tile", in: []*ir.Tensor{empty, mvI64v(1, 1<<40)}},
		{name: "pad huge", op: "Pad", in: []*ir.Tensor{x, mvI64v(big, 0, 0, 0)}},
		{name: "pad huge on empty", op: "Pad", in: []*ir.Tensor{empty, mvI64v(0, 1<<40, 0, 0)}},
		{name: "slice huge step", op: "Slice", in: []*ir.Tensor{x, mvI64v(0), mvI64v(big), mvI64v(1), mvI64v(big)}},
		{name: "slice min step", op: "Slice", in: []*ir.Tensor{x, mvI64v(-1), mvI64v(-big - 1), mvI64v(1), mvI64v(-big - 1)}},
		{name: "expand huge", op: "Expand", in: []*ir.Tensor{x, mvI64v(1<<40, 1<<40, 2, 2)}},
		{name: "constantofshape huge", op: "ConstantOfShape", in: []*ir.Tensor{mvI64v(1<<40, 1<<40)}},
		{name: "onehot huge depth", op: "OneHot", in: []*ir.Tensor{mvI64v(1), mvI64(mvSh(), 1<<50), mvF32(mvSh(2), 0, 1)}},
		{name: "range huge", op: "Range", in: []*ir.Tensor{mvF32(mvSh(), 0), mvF32(mvSh(), 1e30), mvF32(mvSh(), 1)}},
		{name: "col2im huge block", op: "Col2Im", in: []*ir.Tensor{mvF32(mvSh(1, 0, 1)), mvI64v(1<<40, 1<<40), mvI64v(1<<40, 1<<40)}},
		{name: "centercroppad huge", op: "CenterCropPad", in: []*ir.Tensor{x, mvI64v(1<<40, 1<<40)}},
		{name: "gather bad index", op: "Gather", in: []*ir.Tensor{x, mvI64v(-3)}},
		{name: "gathernd bad tuple", op: "GatherND", in: []*ir.Tensor{x, mvI64(mvSh(1, 3), 0, 0, 0)}},
		{name: "scatternd bad index", op: "ScatterND", in: []*ir.Tensor{x, mvI64(mvSh(1, 1), 7), mvF32(mvSh(1, 2), 0, 0)}},
		{name: "split bad", op: "Split", nOut: 2, in: []*ir.Tensor{x, mvI64v(-1, 3)}},
		{name: "topk negative k", op: "TopK", nOut: 2, in: []*ir.Tensor{x, mvI64v(-1)}},
		{name: "depthtospace rank", op: "DepthToSpace", attrs: ir.Attrs{"blocksize": mvAInt(2)}, in: []*ir.Tensor{x}},
		{name: "eyelike rank", op: "EyeLike", in: []*ir.Tensor{mvF32(mvSh(2), 1, 2)}},
		{name: "trilu rank", op: "Trilu", in: []*ir.Tensor{mvF32(mvSh(2), 1, 2)}},
		{name: "reversesequence long", op: "ReverseSequence", in: []*ir.Tensor{x, mvI64v(5, 1)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, hide := range []bool{false, true} {
				tc.runtimeInputs = hide
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Fatalf("hidden=%v: panic: %v", hide, r)
						}
					}()
					mvRunNode(tc) // errors are expected; results are not checked
				}()
			}
		})
	}
}
