package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

// conv3DTestGeoms are 3-D geometries for the patch layout of
// conv_patches.go: padding on every side (and one side only), strides and
// dilations per axis, groups, 1×1×1 kernels, outputs wider than a strip.
var conv3DTestGeoms = []struct {
	name   string
	xs, ws []int64
	attrs  ir.Attrs
}{
	{"3d 3x3x3 pad", []int64{2, 4, 5, 6, 7}, []int64{6, 4, 3, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1, 1, 1})},
	{"3d valid", []int64{1, 2, 4, 5, 6}, []int64{3, 2, 3, 3, 3}, nil},
	{"3d stride dil", []int64{1, 3, 9, 8, 11}, []int64{5, 3, 2, 3, 3}, nntAttrs("strides", []int64{2, 1, 3}, "dilations", []int64{1, 2, 1}, "pads", []int64{0, 2, 1, 1, 0, 2})},
	{"3d groups", []int64{2, 4, 2, 3, 3}, []int64{4, 2, 1, 2, 2}, nntAttrs("group", 2, "pads", []int64{0, 1, 0, 0, 0, 1})},
	{"3d pointwise", []int64{1, 8, 3, 5, 6}, []int64{10, 8, 1, 1, 1}, nil},
	{"3d pointwise stride", []int64{1, 5, 5, 5, 5}, []int64{7, 5, 1, 1, 1}, nntAttrs("strides", []int64{2, 2, 2})},
	{"3d front pad only", []int64{1, 2, 3, 3, 3}, []int64{2, 2, 2, 1, 1}, nntAttrs("pads", []int64{3, 0, 0, 0, 0, 3})},
	{"3d wide", []int64{1, 3, 3, 4, 40}, []int64{4, 3, 2, 2, 3}, nntAttrs("pads", []int64{1, 0, 1, 0, 1, 1})},
}

// TestConv3DLayout runs the patch-strip and every-algorithm tests of
// conv_f32_test.go on conv3DTestGeoms (3-D convolutions take the
// patch-layout path of conv_patches.go).
func TestConv3DLayout(t *testing.T) {
	saved := convTestGeoms
	defer func() { convTestGeoms = saved }()
	convTestGeoms = conv3DTestGeoms
	t.Run("patches", TestConvPatchesAgainstIm2col)
	t.Run("algorithms", TestConvF32EveryAlgorithm)
}
