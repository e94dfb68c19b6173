package passes_test

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestFoldScaleNumerically runs per-channel scales in front of and behind
// every convolution case (grouped, depthwise, padded, 1-D, 3-D): Mul by a
// per-input-channel constant, the Conv, Mul by a per-output-channel
// constant, Add of a [1, M, 1…] constant and Sub of a scalar.
func TestFoldScaleNumerically(t *testing.T) {
	for _, cc := range convCases {
		name := "conv_" + cc.name
		build := func() *ir.Graph {
			b := newTG(name)
			x := b.input("x", cc.x...)
			attrs := ir.Attrs{}
			for k, v := range cc.attrs {
				attrs[k] = v
			}
			sp := len(cc.x) - 2
			chShape := func(lead bool, c int64) []int64 { // [c, 1…] or [1, c, 1…]
				s := []int64{c}
				if lead {
					s = []int64{1, c}
				}
				for range sp {
					s = append(s, 1)
				}
				return s
			}
			xs := b.op("Mul", nil, b.weights(chShape(false, cc.x[1])...), x)
			y := b.op("Conv", named(attrs), xs, b.weights(cc.w...), b.weights(cc.w[0]))
			y = b.op("Mul", nil, y, b.weights(chShape(false, cc.w[0])...))
			y = b.op("Add", nil, b.weights(chShape(true, cc.w[0])...), y)
			y = b.op("Sub", nil, y, b.konst(ir.Scalar(float32(0.25))))
			return b.out(b.op("Relu", nil, y))
		}
		t.Run(name, func(t *testing.T) { compareFused(t, name, "fold-scale", build) })
	}
}
