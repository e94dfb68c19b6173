package passes_test

import (
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// TestMinMaxClipNumerically: a tf2onnx-style block (Conv, LeakyRelu,
// Max with a [1,1,1,1] constant, Conv, Min with the constant first) gives
// the same outputs with minmax-clip on and off, and with it on no Max or
// Min is left (the second Clip fuses into its Conv's epilogue).
func TestMinMaxClipNumerically(t *testing.T) {
	build := func() *ir.Graph {
		b := newTG("minmax_clip")
		x := b.input("x", 1, 4, 9, 7)
		y := b.op("Conv", named(ir.Attrs{"pads": ints(1, 1, 1, 1)}), x, b.weights(16, 4, 3, 3), b.weights(16))
		y = b.op("LeakyRelu", named(ir.Attrs{"alpha": fattr(0.2)}), y)
		y = b.op("Max", nil, y, b.konst(ir.FromSlice([]float32{-0.4}, 1, 1, 1, 1)))
		y = b.op("Conv", nil, y, b.weights(16, 16, 1, 3), b.weights(16))
		return b.out(b.op("Min", nil, b.konst(ir.Scalar(float32(0.5))), y))
	}
	compareFused(t, "minmax_clip", "minmax-clip", build)
	s, err := runtime.NewSession(build(), runtime.Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if text := ir.Format(s.Graph()); strings.Contains(text, "Max(") || strings.Contains(text, "Min(") {
		t.Errorf("a Max or Min is left:\n%s", text)
	}
}
