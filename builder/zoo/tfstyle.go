package zoo

import (
	"fmt"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// TFStyle builds a convolution net the way tf2onnx converts a Keras model,
// at the given opset: an NHWC input "image" [batch, 17, 17, 3] transposed
// to NCHW, TensorFlow's "same" padding of a strided conv as an explicit
// asymmetric Pad before a valid Conv, BatchNormalization already folded
// into per-channel Mul and Add, ReLU6 as Clip, a depthwise conv after a
// reflect Pad, a round trip to NHWC for a per-channel Mul on the last
// axis, global pooling as ReduceMean over the spatial axes, and a Dense
// layer as MatMul + Add + Softmax. Output "probs" [batch, 10].
func TFStyle(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("tfstyle_op%d", opset), opset, 21)
	b := n.b
	u := func(name string, lo, hi float64, shape ...int64) *builder.Value {
		return b.Weight(name, shape, builder.Uniform(lo, hi), builder.Fans{})
	}
	pad := func(x *builder.Value, mode string, p ...int64) *builder.Value {
		if opset < 11 {
			return b.Pad(x, builder.AttrPads(p...), builder.AttrMode(mode))
		}
		return b.Pad(x, builder.Inputs(b.Int64s(p...)), builder.AttrMode(mode))
	}
	x := b.Input("image", ir.Float32, "batch", 17, 17, 3)
	x = b.Transpose(x, builder.AttrPerm(0, 3, 1, 2))
	x = pad(x, "constant", 0, 0, 0, 0, 0, 0, 1, 1) // 18×18
	x = n.conv("conv1", x, convSpec{in: 3, out: 24, kh: 3, kw: 3, stride: 2})
	x = n.relu6(b.Add(b.Mul(x, u("bn1.scale", 0.5, 1.5, 24, 1, 1)), u("bn1.shift", -0.2, 0.2, 24, 1, 1))) // 8×8
	x = pad(x, "reflect", 0, 0, 1, 1, 0, 0, 1, 1)
	x = n.conv("dw", x, convSpec{in: 24, out: 24, kh: 3, kw: 3, group: 24, bias: true})
	x = n.relu6(x)
	x = b.Transpose(x, builder.AttrPerm(0, 2, 3, 1)) // NHWC
	x = b.Mul(x, u("gamma", 0.5, 1.5, 24))
	x = b.Transpose(x, builder.AttrPerm(0, 3, 1, 2))
	x = n.conv("pw", x, convSpec{in: 24, out: 40, kh: 1, kw: 1, bias: true})
	x = b.Relu(x)
	x = n.reduceMeanDrop(x, 2, 3) // [batch, 40]
	w := b.Weight("dense.kernel", []int64{40, 10}, builder.GlorotUniform, builder.Fans{In: 40, Out: 10})
	x = n.softmax(b.Add(b.MatMul(x, w), u("dense.bias", -0.1, 0.1, 10)))
	return b.Build(b.Output("probs", x))
}

// reduceMeanDrop is ReduceMean over axes without keepdims.
func (n *net) reduceMeanDrop(x *builder.Value, axes ...int64) *builder.Value {
	if n.opset >= 18 {
		return n.b.ReduceMean(x, builder.Inputs(n.b.Int64s(axes...)), builder.AttrKeepdims(0))
	}
	return n.b.ReduceMean(x, builder.AttrAxes(axes...), builder.AttrKeepdims(0))
}
