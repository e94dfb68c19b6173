package passes_test

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

// convTCases are ConvTranspose configurations covering every path of the
// float32 kernel: both GEMM orientations (large and 1×1/4×4 inputs), the
// images path of a 1×1 input, groups, 1-D, dilations, output_padding, a
// weight given at run time, and the N-D path (3-D).
var convTCases = []struct {
	name   string
	x, w   []int64
	attrs  ir.Attrs
	constW bool
}{
	{"gen_1x1", []int64{2, 20, 1, 1}, []int64{20, 40, 4, 4}, nil, true},
	{"gen_4x4_s2", []int64{1, 40, 4, 4}, []int64{40, 24, 4, 4}, ir.Attrs{"strides": ints(2, 2), "pads": ints(1, 1, 1, 1)}, true},
	{"gen_outpad", []int64{1, 24, 8, 8}, []int64{24, 13, 3, 3}, ir.Attrs{"strides": ints(2, 2), "pads": ints(1, 1, 1, 1), "output_padding": ints(1, 1)}, true},
	{"big_s2", []int64{1, 16, 20, 20}, []int64{16, 3, 4, 4}, ir.Attrs{"strides": ints(2, 2), "pads": ints(1, 1, 1, 1)}, true},
	{"group2_dil", []int64{2, 4, 5, 6}, []int64{4, 3, 3, 2}, ir.Attrs{"group": iattr(2), "dilations": ints(2, 1), "strides": ints(1, 2)}, true},
	{"conv1d", []int64{1, 3, 20}, []int64{3, 4, 5}, ir.Attrs{"strides": ints(3)}, true},
	{"dynamic_w", []int64{1, 6, 7, 7}, []int64{6, 5, 3, 3}, ir.Attrs{"pads": ints(1, 1, 1, 1)}, false},
	{"conv3d", []int64{1, 2, 3, 4, 3}, []int64{2, 3, 2, 3, 2}, ir.Attrs{"strides": ints(2, 1, 2)}, true},
}

// TestFuseEpilogueConvTransposeNumerically compares ConvTranspose (with a
// bias) followed by each epilogue that a nncc.FusedConvTranspose takes
// (bias Add and activations; not a residual) with the unfused graph.
func TestFuseEpilogueConvTransposeNumerically(t *testing.T) {
	for _, cc := range convTCases {
		for _, ep := range epilogues {
			if ep.name == "residual_relu" {
				continue // FusedConvTranspose has no residual input
			}
			name := cc.name + "/" + ep.name
			build := func() *ir.Graph {
				b := newTG(name)
				x := b.input("x", cc.x...)
				var w *ir.Value
				if cc.constW {
					w = b.weights(cc.w...)
				} else {
					w = b.input("w", cc.w...)
				}
				group := int64(1)
				if g, ok := cc.attrs["group"]; ok {
					group = g.I
				}
				bias := b.weights(cc.w[1] * group)
				attrs := ir.Attrs{}
				for k, v := range cc.attrs {
					attrs[k] = v
				}
				y := b.op("ConvTranspose", named(attrs), x, w, bias)
				if err := ir.InferNode(y.Producer); err != nil {
					t.Fatal(err)
				}
				out, _ := y.Type.Shape.Concrete()
				return b.out(ep.apply(b, y, out, 1))
			}
			t.Run(name, func(t *testing.T) { compareFused(t, name, "fuse-epilogue", build) })
		}
	}
}
