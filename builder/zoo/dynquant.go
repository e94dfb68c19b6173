package zoo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// DynQuantConvNet builds a dynamically quantized CNN in the form ONNX
// Runtime's dynamic quantizer writes (the quantized ISNet's): before each
// product DynamicQuantizeLinear of the activation, then ConvInteger or
// MatMulInteger with constant int8 weights (zero point 0, one scale per
// tensor), Cast to float, Mul by the product of the two scales, Add the
// float bias. Input "image" [batch, 3, size, size]: three 3×3 convs with
// ReLU (the second stride 2), a MaxPool, global average pooling and a
// MatMulInteger head to "logits" [batch, 10].
func DynQuantConvNet(opset, size, width int64) (*ir.Graph, error) {
	b := builder.New(fmt.Sprintf("dynquant_cnn_op%d", opset), opset, builder.Seed(23))
	r := rand.New(rand.NewPCG(23, 0xd9))
	x := b.Input("image", ir.Float32, "batch", 3, size, size)
	cin := int64(3)
	for i, stride := range []int64{1, 2, 1} {
		end := b.Scope(fmt.Sprintf("conv%d", i))
		wq, ws := dynQuantWeight(b, r, []int64{width, cin, 3, 3})
		q := b.DynamicQuantizeLinear(x, builder.NumOutputs(3))
		y := b.ConvInteger(q[0], wq, q[2], b.NamedConst("w_zero_point", &ir.Tensor{DType: ir.Int8, Shape: []int64{}, Data: []int8{0}}),
			builder.AttrKernelShape(3, 3), builder.AttrStrides(stride, stride), builder.AttrPads(1, 1, 1, 1))
		y = b.Mul(b.Cast(y, builder.AttrTo(int64(ir.Float32))), b.Mul(q[1], ws))
		y = b.Add(y, b.Weight("bias", []int64{width, 1, 1}, builder.Uniform(-0.1, 0.1), builder.Fans{}))
		x = b.Relu(y)
		cin = width
		end()
	}
	x = b.MaxPool(x, builder.AttrKernelShape(2, 2), builder.AttrStrides(2, 2))[0]
	x = b.Flatten(b.GlobalAveragePool(x), builder.AttrAxis(1))
	wq, ws := dynQuantWeight(b, r, []int64{width, 10})
	q := b.DynamicQuantizeLinear(x, builder.NumOutputs(3))
	y := b.MatMulInteger(q[0], wq, q[2], b.NamedConst("head_zero_point", &ir.Tensor{DType: ir.Int8, Shape: []int64{}, Data: []int8{0}}))
	y = b.Mul(b.Cast(y, builder.AttrTo(int64(ir.Float32))), b.Mul(q[1], ws))
	return b.Build(b.Output("logits", y))
}

// dynQuantWeight returns a He-normal weight quantized to int8 with one
// symmetric scale, and that scale.
func dynQuantWeight(b *builder.Builder, r *rand.Rand, shape []int64) (*builder.Value, *builder.Value) {
	n := 1
	for _, d := range shape {
		n *= int(d)
	}
	fanIn := n / int(shape[0])
	if len(shape) == 2 {
		fanIn = int(shape[0])
	}
	ws := make([]float64, n)
	var amax float64
	for i := range ws {
		ws[i] = r.NormFloat64() * math.Sqrt(2/float64(fanIn))
		amax = max(amax, math.Abs(ws[i]))
	}
	scale := float32(amax / 127)
	codes := make([]int8, n)
	for i, v := range ws {
		codes[i] = int8(max(-127, min(127, math.RoundToEven(v/float64(scale)))))
	}
	return b.NamedConst("w_quantized", &ir.Tensor{DType: ir.Int8, Shape: shape, Data: codes}),
		b.NamedConst("w_scale", &ir.Tensor{DType: ir.Float32, Shape: []int64{}, Data: []float32{scale}})
}
