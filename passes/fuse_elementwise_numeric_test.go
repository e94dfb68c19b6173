package passes_test

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestFuseElementwiseNumerically compares fused and unfused elementwise
// chains on tensors large enough to be split across threads and into
// many chunks, with per-channel, per-row, general and scalar broadcasts.
func TestFuseElementwiseNumerically(t *testing.T) {
	cases := []struct {
		name string
		x    []int64
		side []int64 // shape of the broadcast operand
	}{
		{"per_channel", []int64{2, 16, 40, 41}, []int64{16, 1, 1}},
		{"per_row", []int64{3, 70, 333}, []int64{333}},
		{"general", []int64{2, 5, 37, 64}, []int64{5, 1, 64}},
		{"scalar", []int64{100003}, []int64{}},
		{"tiny", []int64{3}, []int64{1}},
	}
	for _, cc := range cases {
		build := func() *ir.Graph {
			b := newTG(cc.name)
			x := b.input("x", cc.x...)
			w := b.weights(cc.side...)
			y := b.op("Mul", nil, x, w)
			y = b.op("Add", nil, b.weights(cc.side...), y)
			y = b.op("Sigmoid", nil, y)
			y = b.op("Sub", nil, y, b.op("Tanh", nil, x))
			y = b.op("Clip", nil, y, b.konst(ir.Scalar(float32(-0.3))), nil)
			y = b.op("Div", nil, y, b.op("Add", nil, b.op("Exp", nil, b.op("Neg", nil, x)), b.konst(ir.Scalar(float32(1)))))
			return b.out(b.op("Gelu", nil, y))
		}
		t.Run(cc.name, func(t *testing.T) { compareFused(t, cc.name, "fuse-elementwise", build) })
	}
}
