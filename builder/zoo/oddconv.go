package zoo

import (
	"fmt"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// OddConv builds a chain of convolutions with the shapes tuned kernels
// are least likely to have seen, at the given opset: a non-square input
// [batch, 5, 13, 11], a 5×5 stride-2 conv with unequal pads, a depthwise
// conv with channel multiplier 2, a grouped conv with dilation 3, an
// auto_pad SAME_LOWER conv with an even kernel, MaxPool with asymmetric
// pads, a stride-3 1×1 conv, a non-square valid conv down to 1×1, and
// 1×1 convolutions on the 1×1 map. Outputs "y" [batch, 9, 1, 1] and
// "mid" [batch, 6, 7, 5].
func OddConv(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("oddconv_op%d", opset), opset, 10)
	b := n.b
	x := b.Input("image", ir.Float32, "batch", 5, 13, 11)
	x = b.Relu(n.conv("c1", x, convSpec{in: 5, out: 7, kh: 5, kw: 5, stride: 2, pads: [4]int64{2, 1, 2, 1}, bias: true})) // 7×5
	x = n.conv("dw", x, convSpec{in: 7, out: 14, kh: 3, kw: 3, group: 7, pads: [4]int64{1, 1, 1, 1}, bias: true})         // 7×5
	x = b.Sigmoid(x)
	mid := b.Relu(n.conv("g2", x, convSpec{in: 14, out: 6, kh: 3, kw: 3, group: 2, dil: 3, pads: [4]int64{3, 3, 3, 3}})) // 7×5
	y := n.sameLowerConv("same", mid, 6, 8)                                                                              // 7×5
	y = b.MaxPool(y, builder.AttrKernelShape(3, 3), builder.AttrStrides(1, 1), builder.AttrPads(0, 1, 2, 1))[0]          // 7×5
	y = b.Relu(n.conv("s3", y, convSpec{in: 8, out: 17, kh: 1, kw: 1, stride: 3, bias: true}))                           // 3×2
	y = b.Relu(n.conv("v", y, convSpec{in: 17, out: 12, kh: 3, kw: 2, bias: true}))                                      // 1×1
	y = b.Tanh(n.conv("p1", y, convSpec{in: 12, out: 12, kh: 1, kw: 1, bias: true}))
	y = n.conv("p2", y, convSpec{in: 12, out: 9, kh: 1, kw: 1, bias: true})
	return b.Build(b.Output("y", y), b.Output("mid", mid))
}

// sameLowerConv is a 2×2 conv with auto_pad SAME_LOWER (the extra pad
// row and column go before the data).
func (n *net) sameLowerConv(name string, x *builder.Value, in, out int64) *builder.Value {
	b := n.b
	end := b.Scope(name)
	defer end()
	w := b.Weight("weight", []int64{out, in, 2, 2}, builder.HeNormal, builder.Fans{In: int(in * 4), Out: int(out * 4)})
	return b.Conv(x, w, builder.AttrKernelShape(2, 2), builder.AttrAutoPad("SAME_LOWER"))
}

// SoftmaxAxes checks the axis semantics that changed at opset 13: input
// "x" [batch, 4, 6] times a [6, 6] weight, then Softmax with axis 1,
// LogSoftmax with the default axis and Hardmax with axis 1. Before opset
// 13 each coerces its input to 2-D at the axis (so axis 1 normalises over
// 4·6 values jointly, and the default axis is 1); from 13 the axis is one
// axis and the default -1. Outputs "softmax", "logsoftmax", "hardmax".
func SoftmaxAxes(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("softmax_axes_op%d", opset), opset, 11)
	b := n.b
	x := b.Input("x", ir.Float32, "batch", 4, 6)
	w := b.Weight("w", []int64{6, 6}, builder.GlorotUniform, builder.Fans{In: 6, Out: 6})
	y := b.MatMul(x, w)
	s := b.Softmax(y, builder.AttrAxis(1))
	l := b.LogSoftmax(b.Mul(y, b.Scalar(ir.Float32, 3)))
	h := b.Hardmax(y, builder.AttrAxis(1))
	return b.Build(b.Output("softmax", s), b.Output("logsoftmax", l), b.Output("hardmax", h))
}
