package passes_test

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestFoldPadIntoConvNumerically checks Pad→Conv folding on tf2onnx-style
// asymmetric "same" padding, with and without the Conv's own pads, and
// that the Pad stays for another user.
func TestFoldPadIntoConvNumerically(t *testing.T) {
	cases := []struct {
		name     string
		pads     []int64
		convPads []int64
		group    int64
		shared   bool
	}{
		{"asymmetric", []int64{0, 0, 0, 0, 0, 0, 1, 1}, nil, 1, false},
		{"both", []int64{0, 0, 2, 1, 0, 0, 0, 3}, []int64{1, 1, 1, 1}, 1, false},
		{"depthwise_shared", []int64{0, 0, 1, 1, 0, 0, 1, 1}, nil, 4, true},
	}
	for _, tc := range cases {
		build := func() *ir.Graph {
			b := newTG(tc.name)
			x := b.input("x", 2, 4, 9, 11)
			p := b.op("Pad", nil, x, b.konst(ir.FromSlice(tc.pads, 8)), b.konst(ir.FromSlice([]float32{0})))
			attrs := ir.Attrs{"kernel_shape": ints(3, 3), "strides": ints(2, 1), "group": iattr(tc.group)}
			if tc.convPads != nil {
				attrs["pads"] = ints(tc.convPads...)
			}
			y := b.op("Conv", named(attrs), p, b.weights(8, 4/tc.group, 3, 3))
			if tc.shared {
				return b.out(y, b.op("Relu", nil, p))
			}
			return b.out(y)
		}
		t.Run(tc.name, func(t *testing.T) { compareFused(t, tc.name, "fold-pad", build) })
	}
}
