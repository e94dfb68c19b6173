package zoo

import (
	"fmt"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// VGG builds a VGG-style network with the pooling and convolution
// variants the seed models lack, at the given opset: 3×3 conv + ReLU
// pairs, AveragePool 2×2, a dilated conv, AveragePool 3×3 stride 2 with
// padding excluded from the average, a grouped conv with asymmetric
// pads, a non-square kernel, AveragePool with ceil_mode (from opset 10;
// padding included before), GlobalAveragePool, Flatten and a Gemm with a
// softmax. Input "image" [batch, 3, 18, 18], output "probs" [batch, 7]
// (the spatial sizes noted in the body are those of size 18).
func VGG(opset int64) (*ir.Graph, error) { return VGGSized(opset, 18, 1) }

// VGGSized is VGG on size×size images with every channel count
// multiplied by width.
func VGGSized(opset, size, width int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("vgg_s%d_w%d_op%d", size, width, opset), opset, 9)
	w := width
	b := n.b
	cr := func(name string, x *builder.Value, c convSpec) *builder.Value {
		c.bias = true
		return b.Relu(n.conv(name, x, c))
	}
	x := b.Input("image", ir.Float32, "batch", 3, size, size)
	x = cr("c1", x, convSpec{in: 3, out: 10 * w, kh: 3, kw: 3, pads: [4]int64{1, 1, 1, 1}})
	x = cr("c2", x, convSpec{in: 10 * w, out: 10 * w, kh: 3, kw: 3, pads: [4]int64{1, 1, 1, 1}})
	x = b.AveragePool(x, builder.AttrKernelShape(2, 2), builder.AttrStrides(2, 2))                               // 9×9
	x = cr("c3", x, convSpec{in: 10 * w, out: 20 * w, kh: 3, kw: 3, dil: 2, pads: [4]int64{2, 2, 2, 2}})         // 9×9
	x = b.AveragePool(x, builder.AttrKernelShape(3, 3), builder.AttrStrides(2, 2), builder.AttrPads(1, 1, 1, 1)) // 5×5
	x = cr("c4", x, convSpec{in: 20 * w, out: 20 * w, kh: 3, kw: 3, group: 4, pads: [4]int64{1, 0, 1, 2}})       // 5×6
	x = cr("c5", x, convSpec{in: 20 * w, out: 33 * w, kh: 1, kw: 3, pads: [4]int64{0, 1, 0, 1}})                 // 5×6
	pool := []builder.Arg{builder.AttrKernelShape(2, 2), builder.AttrStrides(2, 2)}
	if opset >= 10 {
		pool = append(pool, builder.AttrCeilMode(1)) // 3×3
	} else {
		pool = append(pool, builder.AttrPads(0, 0, 1, 0), builder.AttrCountIncludePad(1)) // 3×3
	}
	x = b.AveragePool(x, pool...)
	x = cr("c6", x, convSpec{in: 33 * w, out: 24 * w, kh: 1, kw: 1})
	x = b.GlobalAveragePool(x)
	x = n.softmax(n.dense("fc", n.flatten(x), 24*w, 7))
	return b.Build(b.Output("probs", x))
}
