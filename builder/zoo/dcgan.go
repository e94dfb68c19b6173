package zoo

import (
	"fmt"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// DCGANGenerator builds a DCGAN generator (Radford et al. 2015) at the
// given opset: noise "noise" [batch, 20] reshaped to [batch, 20, 1, 1],
// ConvTranspose 4×4 (stride 1, then stride 2 with pad 1) with
// BatchNormalization and ReLU, a stride-2 3×3 ConvTranspose with
// output_padding and bias, and a final ConvTranspose with Tanh. Output
// "image" [batch, 3, 32, 32].
func DCGANGenerator(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("dcgan_generator_op%d", opset), opset, 3)
	b := n.b
	z := b.Input("noise", ir.Float32, "batch", 20)
	x := n.reshape(z, 0, 20, 1, 1)
	x = b.Relu(n.bn("up0.bn", n.convT("up0", x, 20, 40, 4, 1, 0, 0, false), 40)) // 4×4
	x = b.Relu(n.bn("up1.bn", n.convT("up1", x, 40, 24, 4, 2, 1, 0, false), 24)) // 8×8
	x = b.Relu(n.bn("up2.bn", n.convT("up2", x, 24, 13, 3, 2, 1, 1, true), 13))  // 16×16
	x = b.Tanh(n.convT("up3", x, 13, 3, 4, 2, 1, 0, false))                      // 32×32
	return b.Build(b.Output("image", x))
}

// convT adds a square ConvTranspose with PyTorch's weight layout
// [in, out, k, k].
func (n *net) convT(name string, x *builder.Value, in, out, k, stride, pad, outPad int64, bias bool) *builder.Value {
	b := n.b
	end := b.Scope(name)
	defer end()
	w := b.Weight("weight", []int64{in, out, k, k}, builder.HeNormal, builder.Fans{In: int(in * k * k / (stride * stride)), Out: int(out * k * k)})
	args := []builder.Arg{builder.AttrKernelShape(k, k), builder.AttrStrides(stride, stride), builder.AttrPads(pad, pad, pad, pad)}
	if outPad != 0 {
		args = append(args, builder.AttrOutputPadding(outPad, outPad))
	}
	if bias {
		args = append([]builder.Arg{b.Weight("bias", []int64{out}, builder.Uniform(-0.1, 0.1), builder.Fans{})}, args...)
	}
	return b.ConvTranspose(x, w, args...)
}

// DCGANDiscriminator builds a DCGAN discriminator at the given opset:
// image "image" [batch, 3, 32, 32], strided 4×4 convolutions with
// LeakyReLU(0.2) and BatchNormalization, one with TensorFlow's asymmetric
// "same" padding (more at the bottom and right), a 5×5 valid convolution
// to one channel, Flatten and Sigmoid. Output "real" [batch, 1].
func DCGANDiscriminator(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("dcgan_discriminator_op%d", opset), opset, 4)
	b := n.b
	leaky := func(x *builder.Value) *builder.Value { return b.LeakyRelu(x, builder.AttrAlpha(0.2)) }
	x := b.Input("image", ir.Float32, "batch", 3, 32, 32)
	x = leaky(n.conv("d0", x, convSpec{in: 3, out: 16, kh: 4, kw: 4, stride: 2, pads: [4]int64{1, 1, 1, 1}}))                     // 16×16
	x = leaky(n.bn("d1.bn", n.conv("d1", x, convSpec{in: 16, out: 28, kh: 4, kw: 4, stride: 2, pads: [4]int64{1, 1, 1, 1}}), 28)) // 8×8
	x = leaky(n.bn("d2.bn", n.conv("d2", x, convSpec{in: 28, out: 40, kh: 3, kw: 3, stride: 2, pads: [4]int64{0, 0, 1, 1}}), 40)) // 4×4
	x = n.conv("d3", x, convSpec{in: 40, out: 1, kh: 4, kw: 4, bias: true})                                                       // 1×1
	x = b.Sigmoid(n.flatten(x))
	return b.Build(b.Output("real", x))
}
