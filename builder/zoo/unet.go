package zoo

import (
	"fmt"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// UNet builds a small UNet at the given opset: two 3×3 conv + ReLU
// levels with MaxPool, a bottleneck, and a decoder that upsamples (nearest
// on the first level, bilinear on the second; Upsample before opset 10,
// Resize from 10, half-pixel coordinates from 11), concatenates the skip
// connection on the channel axis and convolves again; a 1×1 conv gives
// per-pixel logits. Input "image" [batch, 3, 20, 20], output "mask"
// [batch, 2, 20, 20].
func UNet(opset int64) (*ir.Graph, error) { return UNetSized(opset, 20, 1) }

// UNetSized is UNet on size×size images (size a multiple of 4) with every
// channel count multiplied by width.
func UNetSized(opset, size, width int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("unet_s%d_w%d_op%d", size, width, opset), opset, 8)
	b := n.b
	same := [4]int64{1, 1, 1, 1}
	cr := func(name string, x *builder.Value, in, out int64) *builder.Value {
		return b.Relu(n.conv(name, x, convSpec{in: in, out: out, kh: 3, kw: 3, pads: same, bias: true}))
	}
	pool := func(x *builder.Value) *builder.Value {
		return b.MaxPool(x, builder.AttrKernelShape(2, 2), builder.AttrStrides(2, 2))[0]
	}
	w := width
	x := b.Input("image", ir.Float32, "batch", 3, size, size)
	s1 := cr("enc1b", cr("enc1a", x, 3, 8*w), 8*w, 8*w)      // size
	s2 := cr("enc2", pool(s1), 8*w, 18*w)                    // size/2
	m := cr("mid", pool(s2), 18*w, 26*w)                     // size/4
	u := n.upsample2x(m, "nearest", "asymmetric")            // size/2
	u = b.Concat(u, builder.Inputs(s2), builder.AttrAxis(1)) // 44·w
	u = cr("dec2", u, 44*w, 18*w)
	coord := "half_pixel"
	if opset >= 11 && opset < 13 {
		coord = "align_corners"
	}
	u = n.upsample2x(u, "linear", coord) // size
	u = b.Concat(s1, builder.Inputs(u), builder.AttrAxis(1))
	u = cr("dec1", u, 26*w, 8*w)
	y := n.conv("head", u, convSpec{in: 8 * w, out: 2, kh: 1, kw: 1, bias: true})
	return b.Build(b.Output("mask", y))
}
