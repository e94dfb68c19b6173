package passes_test

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestSinkTransposesNumerically checks NHWC round trips around per-channel
// elementwise chains (the tf2onnx idiom), constants on either side of
// non-commutative ops, and a second Transpose that does not cancel.
func TestSinkTransposesNumerically(t *testing.T) {
	cases := []struct {
		name string
		back []int64
	}{
		{"cancel", []int64{0, 3, 1, 2}},
		{"compose", []int64{0, 3, 2, 1}},
	}
	for _, tc := range cases {
		build := func() *ir.Graph {
			b := newTG(tc.name)
			x := b.input("x", 2, 5, 4, 3)
			y := b.op("Transpose", named(ir.Attrs{"perm": ints(0, 2, 3, 1)}), x) // [2,4,3,5]
			y = b.op("Mul", nil, y, b.weights(5))
			y = b.op("Sub", nil, b.weights(1, 1, 5), y)
			y = b.op("Clip", nil, y, b.konst(ir.FromSlice([]float32{-1})), b.konst(ir.FromSlice([]float32{1})))
			y = b.op("Div", nil, y, b.konst(ir.FromSlice([]float32{3})))
			y = b.op("Transpose", named(ir.Attrs{"perm": ints(tc.back...)}), y)
			return b.out(b.op("Relu", nil, y))
		}
		t.Run(tc.name, func(t *testing.T) { compareFused(t, tc.name, "transpose-sink", build) })
	}
}
