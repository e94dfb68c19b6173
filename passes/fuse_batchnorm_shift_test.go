package passes_test

import (
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// TestFoldBatchNormThroughBias: paddle2onnx writes a ConvTranspose's bias
// as a separate Add before the BatchNormalization (PP-OCR's detection
// head), and a Conv's the same way; fold-batchnorm moves the bias into the
// normalisation's mean and folds it into the weights. Outputs match the
// graph without the pass, and no BatchNormalization is left.
func TestFoldBatchNormThroughBias(t *testing.T) {
	build := func() *ir.Graph {
		b := newTG("bn_through_bias")
		x := b.input("x", 1, 8, 5, 6)
		bn := func(y *ir.Value, c int64) *ir.Value {
			vr := b.weights(c)
			for i, v := range vr.Const.F32() {
				vr.Const.F32()[i] = v*v + 0.1
			}
			return b.op("BatchNormalization", nil, y, b.weights(c), b.weights(c), b.weights(c), vr)
		}
		y := b.op("ConvTranspose", named(ir.Attrs{"strides": ints(2, 2), "kernel_shape": ints(2, 2)}), x, b.weights(8, 4, 2, 2))
		y = b.op("Relu", nil, bn(b.op("Add", nil, y, b.weights(4, 1, 1)), 4))
		z := b.op("Conv", named(ir.Attrs{"pads": ints(1, 1, 1, 1)}), y, b.weights(6, 4, 3, 3))
		z = bn(b.op("Add", nil, b.weights(1, 6, 1, 1), z), 6)
		return b.out(z)
	}
	compareFused(t, "bn_through_bias", "fold-batchnorm", build)
	s, err := runtime.NewSession(build(), runtime.Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if text := ir.Format(s.Graph()); strings.Contains(text, "BatchNormalization(") {
		t.Errorf("a BatchNormalization is left:\n%s", text)
	}
}
