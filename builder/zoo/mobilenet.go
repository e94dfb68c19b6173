package zoo

import (
	"fmt"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// invertedResidual is one MobileNetV2 block: expansion factor, output
// channels and stride of its depthwise convolution.
type invertedResidual struct{ expand, out, stride int64 }

// mobileNetBlocks are MobileNetV2's stages shrunk to odd, non-multiple-of-
// 16 widths; the image goes 29 → 15 → 8 → 4 → 2 → 1 pixels, so the last
// blocks run on 1×1 spatial maps.
var mobileNetBlocks = []invertedResidual{
	{1, 8, 1}, {6, 12, 2}, {6, 12, 1}, {6, 20, 2}, {4, 20, 1}, {4, 36, 2}, {6, 36, 1}, {4, 44, 2}, {4, 44, 1},
}

// MobileNet builds a MobileNetV2-style network at the given opset: a
// strided 3×3 stem, inverted residual blocks (1×1 expansion, 3×3
// depthwise, 1×1 linear projection, residual Add when shapes allow) with
// BatchNormalization and ReLU6 written as Clip, a squeeze-and-excitation
// block with HardSigmoid gating and a HardSwish head as in MobileNetV3,
// GlobalAveragePool, Flatten and Gemm. Input "image" [batch, 3, 29, 29],
// output "logits" [batch, 10].
func MobileNet(opset int64) (*ir.Graph, error) { return MobileNetSized(opset, 29, 1) }

// MobileNetSized is MobileNet on size×size images with every channel
// count multiplied by width, large enough for the kernels' multi-thread
// and large-block paths when size and width are.
func MobileNetSized(opset, size, width int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("mobilenet_s%d_w%d_op%d", size, width, opset), opset, 2)
	b := n.b
	x := b.Input("image", ir.Float32, "batch", 3, size, size)
	stem := 12 * width
	x = n.relu6(n.bn("stem.bn", n.conv("stem", x, convSpec{in: 3, out: stem, kh: 3, kw: 3, stride: 2, pads: [4]int64{1, 1, 1, 1}}), stem))
	in := stem
	for i, blk := range mobileNetBlocks {
		blk.out *= width
		x = n.invertedResidual(fmt.Sprintf("block%d", i), x, in, blk)
		in = blk.out
	}
	x = n.squeezeExcite("se", x, in, 12*width)
	head := 72 * width
	x = n.bn("head.bn", n.conv("head", x, convSpec{in: in, out: head, kh: 1, kw: 1}), head)
	x = n.hardSwish(x)
	x = b.GlobalAveragePool(x)
	x = n.dense("classifier", n.flatten(x), head, 10)
	return b.Build(b.Output("logits", x))
}

func (n *net) invertedResidual(name string, x *builder.Value, in int64, blk invertedResidual) *builder.Value {
	end := n.b.Scope(name)
	defer end()
	hidden := in * blk.expand
	y := x
	if blk.expand != 1 {
		y = n.relu6(n.bn("expand.bn", n.conv("expand", y, convSpec{in: in, out: hidden, kh: 1, kw: 1}), hidden))
	}
	y = n.relu6(n.bn("dw.bn", n.conv("dw", y, convSpec{in: hidden, out: hidden, kh: 3, kw: 3, stride: blk.stride, group: hidden, pads: [4]int64{1, 1, 1, 1}}), hidden))
	y = n.bn("project.bn", n.conv("project", y, convSpec{in: hidden, out: blk.out, kh: 1, kw: 1}), blk.out)
	if blk.stride == 1 && in == blk.out {
		y = n.b.Add(x, y)
	}
	return y
}

// squeezeExcite scales the channels of x by HardSigmoid(W2·relu(W1·gap(x))).
func (n *net) squeezeExcite(name string, x *builder.Value, ch, mid int64) *builder.Value {
	b := n.b
	end := b.Scope(name)
	defer end()
	s := b.GlobalAveragePool(x)
	s = b.Relu(n.conv("fc1", s, convSpec{in: ch, out: mid, kh: 1, kw: 1, bias: true}))
	s = n.conv("fc2", s, convSpec{in: mid, out: ch, kh: 1, kw: 1, bias: true})
	s = b.HardSigmoid(s, builder.AttrAlpha(1.0/6), builder.AttrBeta(0.5))
	return b.Mul(x, s)
}

// hardSwish is the HardSwish op from opset 14, x·HardSigmoid(x) before.
func (n *net) hardSwish(x *builder.Value) *builder.Value {
	if n.opset >= 14 {
		return n.b.HardSwish(x)
	}
	return n.b.Mul(x, n.b.HardSigmoid(x, builder.AttrAlpha(1.0/6), builder.AttrBeta(0.5)))
}
