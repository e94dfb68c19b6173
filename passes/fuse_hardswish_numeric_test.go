package passes_test

import (
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// TestFuseHardSwishNumerically runs a MobileNetV3-style block as
// paddle2onnx and PyTorch (before opset 14) export it: Conv, then
// x·Clip(x+3, 0, 6)/6 with Clip-9 attributes, a squeeze-excitation gate
// Clip(s+3, 0, 6)/6 with Clip-13 constant bounds, and x·HardSigmoid(x,
// 1/6, 1/2) after a second Conv. With the hardswish pass on, the outputs
// match the unfused graph and both convolutions carry the activation.
func TestFuseHardSwishNumerically(t *testing.T) {
	build := func() *ir.Graph {
		b := newTG("hardswish_block")
		x := b.input("x", 1, 8, 10, 12)
		three, six := b.konst(ir.Scalar(float32(3))), b.konst(ir.Scalar(float32(6)))
		conv := func(in *ir.Value, cout, cin, k int64) *ir.Value {
			return b.op("Conv", named(ir.Attrs{"pads": ints(k/2, k/2, k/2, k/2)}), in, b.weights(cout, cin, k, k), b.weights(cout))
		}
		y := conv(x, 16, 8, 3)
		c := b.op("Clip", named(ir.Attrs{"min": fattr(0), "max": fattr(6)}), b.op("Add", nil, y, three))
		b.g.Nodes[len(b.g.Nodes)-1].Opset = 9
		y = b.op("Div", nil, b.op("Mul", nil, y, c), six)
		// squeeze-excitation with a hard-sigmoid gate
		s := b.op("GlobalAveragePool", nil, y)
		s = b.op("Relu", nil, conv(s, 4, 16, 1))
		s = conv(s, 16, 4, 1)
		gate := b.op("Div", nil, b.op("Clip", nil, b.op("Add", nil, three, s), b.konst(ir.Scalar(float32(0))), six), six)
		y = b.op("Mul", nil, y, gate)
		z := conv(y, 24, 16, 1)
		hs := b.op("HardSigmoid", named(ir.Attrs{"alpha": fattr(1.0 / 6), "beta": fattr(0.5)}), z)
		return b.out(b.op("Mul", nil, z, hs))
	}
	compareFused(t, "hardswish_block", "hardswish", build)
	s, err := runtime.NewSession(build(), runtime.Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	text := ir.Format(s.Graph())
	if n := strings.Count(text, `activation="HardSwish"`); n != 2 {
		t.Errorf("want 2 convolutions with a HardSwish epilogue, got %d:\n%s", n, text)
	}
	if strings.Contains(text, "Clip(") {
		t.Errorf("a Clip is left:\n%s", text)
	}
}
