package zoo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// QDQConfig shapes a QDQ-format quantized CNN (QDQConvNet).
type QDQConfig struct {
	Opset int64
	// Size is the input's height and width, Width the first block's
	// channel count.
	Size, Width int64
	// SignedActivations quantizes activations to int8 with zero point 0
	// (symmetric, as TensorRT-style exporters do) instead of uint8 with a
	// zero point (ONNX Runtime's static quantizer's default).
	SignedActivations bool
	// PerChannel quantizes weights with one scale per output channel
	// (DequantizeLinear with an axis) instead of one per tensor.
	PerChannel bool
}

// qdqNet carries the builder and the quantization choices of one
// QDQConvNet.
type qdqNet struct {
	b     *builder.Builder
	cfg   QDQConfig
	r     *rand.Rand
	scale float64 // the scale of the activation act made last
}

// QDQConvNet builds a statically quantized CNN in the QDQ format that
// ONNX Runtime's static quantizer and PyTorch/TensorRT-style exporters
// write: every activation a Conv, MatMul, Gemm or Add reads passes
// through QuantizeLinear → DequantizeLinear with a constant scale and zero
// point, and weights are int8 initializers read through DequantizeLinear
// (zero point 0; per output channel with cfg.PerChannel), biases int32
// initializers with scale input scale × weight scale. Input "image"
// [batch, 3, Size, Size]: a 3×3 stride-2 conv, two residual blocks of 3×3
// convs (Add of two quantized operands, re-quantized), a MaxPool, a 1×1
// projection, global average pooling, then a MatMul head ("logits",
// [batch, 10]) and a Gemm head with transB ("embed", [batch, 8]); ReLUs
// after the convs.
func QDQConvNet(cfg QDQConfig) (*ir.Graph, error) {
	name := fmt.Sprintf("qdq_cnn_op%d", cfg.Opset)
	q := &qdqNet{b: builder.New(name, cfg.Opset, builder.Seed(17)), cfg: cfg, r: rand.New(rand.NewPCG(17, 0x9d9))}
	b := q.b
	w := cfg.Width
	x := b.Input("image", ir.Float32, "batch", 3, cfg.Size, cfg.Size)
	x = q.act(x, 8) // the input: standard normal, ±4
	x = q.act(b.Relu(q.conv("stem", x, 3, w, 3, 2)), 6)
	for i := range 2 {
		blk := fmt.Sprintf("block%d", i)
		y := q.act(b.Relu(q.conv(blk+"_a", x, w, w, 3, 1)), 6)
		y = q.act(q.conv(blk+"_b", y, w, w, 3, 1), 8)
		x = q.act(b.Relu(q.act(b.Add(x, y), 10)), 6)
	}
	x = q.act(b.MaxPool(x, builder.AttrKernelShape(2, 2), builder.AttrStrides(2, 2))[0], 6)
	x = q.act(b.Relu(q.conv("proj", x, w, 2*w, 1, 1)), 6)
	x = q.act(b.GlobalAveragePool(x), 3)
	x = b.Flatten(x, builder.AttrAxis(1))
	hw, hs := q.weight("head_w", []int64{2 * w, 10}, 1)
	logits := b.Add(b.MatMul(x, hw), q.bias("head_b", hs, 10))
	ew, es := q.weight("embed_w", []int64{8, 2 * w}, 0)
	embed := b.Gemm(x, ew, q.bias("embed_b", es, 8), builder.AttrTransB(1))
	return b.Build(b.Output("logits", logits), b.Output("embed", embed))
}

// act quantizes and dequantizes x over a range of width span: uint8 with
// the zero point in the middle of ±span/2, or int8 symmetric with scale
// span/2/127 when signed. (A calibrated model's scales come from data;
// these are fixed so that the model is deterministic.) It records the
// scale in q.scale for the bias of the product that reads the result.
func (q *qdqNet) act(x *builder.Value, span float64) *builder.Value {
	b := q.b
	var scale float64
	var zp *ir.Tensor
	if q.cfg.SignedActivations {
		scale = span / 2 / 127
		zp = &ir.Tensor{DType: ir.Int8, Shape: []int64{}, Data: []int8{0}}
	} else {
		scale = span / 255
		zp = &ir.Tensor{DType: ir.Uint8, Shape: []int64{}, Data: []uint8{128}}
	}
	q.scale = float64(float32(scale))
	s := b.Scalar(ir.Float32, scale)
	z := b.NamedConst("zero_point", zp)
	return b.DequantizeLinear(b.QuantizeLinear(x, s, z), s, z)
}

// weight returns DequantizeLinear of a He-normal weight of shape
// quantized to int8 (zero point 0), one scale per slice along axis with
// PerChannel, else one; it also returns the scale of each output channel
// (axis), for the bias.
func (q *qdqNet) weight(name string, shape []int64, axis int) (*builder.Value, []float32) {
	b := q.b
	n := 1
	for _, d := range shape {
		n *= int(d)
	}
	fanIn := n / int(shape[0])
	if axis == 1 {
		fanIn = int(shape[0])
	}
	ws := make([]float64, n)
	for i := range ws {
		ws[i] = q.r.NormFloat64() * math.Sqrt(2/float64(fanIn))
	}
	channels, inner := 1, n
	if q.cfg.PerChannel {
		channels = int(shape[axis])
		inner = 1
		for _, d := range shape[axis+1:] {
			inner *= int(d)
		}
	}
	scales := make([]float32, channels)
	for i, v := range ws {
		c := (i / inner) % channels
		scales[c] = max(scales[c], float32(math.Abs(v)/127))
	}
	codes := make([]int8, n)
	for i, v := range ws {
		c := (i / inner) % channels
		codes[i] = int8(max(-127, min(127, math.RoundToEven(v/float64(scales[c])))))
	}
	wq := b.NamedConst(name+"_quantized", &ir.Tensor{DType: ir.Int8, Shape: shape, Data: codes})
	zps := make([]int8, channels)
	perOut := make([]float32, shape[axis])
	for i := range perOut {
		perOut[i] = scales[i%channels]
	}
	if !q.cfg.PerChannel {
		return b.DequantizeLinear(wq, b.NamedConst(name+"_scale", &ir.Tensor{DType: ir.Float32, Shape: []int64{}, Data: scales}),
			b.NamedConst(name+"_zero_point", &ir.Tensor{DType: ir.Int8, Shape: []int64{}, Data: zps})), perOut
	}
	s := b.NamedConst(name+"_scale", &ir.Tensor{DType: ir.Float32, Shape: []int64{int64(channels)}, Data: scales})
	z := b.NamedConst(name+"_zero_point", &ir.Tensor{DType: ir.Int8, Shape: []int64{int64(channels)}, Data: zps})
	return b.DequantizeLinear(wq, s, z, builder.AttrAxis(int64(axis))), perOut
}

// bias returns DequantizeLinear of an int32 bias of n values uniform in
// ±0.1, with scale (input activation scale) × (weight scale of the
// channel) as quantizers write biases, so that an integer kernel adds
// the codes to its sums unchanged.
func (q *qdqNet) bias(name string, wScales []float32, n int) *builder.Value {
	b := q.b
	codes := make([]int32, n)
	scales := make([]float32, n)
	for i := range codes {
		scales[i] = float32(q.scale) * wScales[i]
		codes[i] = int32(math.RoundToEven((q.r.Float64()*0.2 - 0.1) / float64(scales[i])))
	}
	bq := b.NamedConst(name+"_quantized", &ir.Tensor{DType: ir.Int32, Shape: []int64{int64(n)}, Data: codes})
	s := b.NamedConst(name+"_scale", &ir.Tensor{DType: ir.Float32, Shape: []int64{int64(n)}, Data: scales})
	return b.DequantizeLinear(bq, s, builder.AttrAxis(0))
}

// conv adds a quantized k×k Conv (pads k/2) from cin to cout channels with
// a quantized bias.
func (q *qdqNet) conv(name string, x *builder.Value, cin, cout, k, stride int64) *builder.Value {
	b := q.b
	end := b.Scope(name)
	defer end()
	w, ws := q.weight("weight", []int64{cout, cin, k, k}, 0)
	bias := q.bias("bias", ws, int(cout))
	p := k / 2
	return b.Conv(x, w, bias, builder.AttrKernelShape(k, k), builder.AttrStrides(stride, stride), builder.AttrPads(p, p, p, p))
}

// QDQModels are the catalogue's quantized models: QDQ-format ones with
// uint8 activations and per-channel weights at opset 13 (ONNX Runtime's
// static quantizer with per_channel), symmetric int8 activations with
// per-tensor weights at opset 17, a larger uint8 one past the kernels'
// thresholds for splitting work over threads, and a dynamically quantized
// one (DynamicQuantizeLinear, ConvInteger, MatMulInteger).
func QDQModels() []Model {
	return []Model{
		{Name: "qdq_cnn_op13", Batch: 2, Build: func() (*ir.Graph, error) {
			return QDQConvNet(QDQConfig{Opset: 13, Size: 32, Width: 16, PerChannel: true})
		}},
		{Name: "qdq_cnn_s8_op17", Batch: 2, Build: func() (*ir.Graph, error) {
			return QDQConvNet(QDQConfig{Opset: 17, Size: 24, Width: 8, SignedActivations: true})
		}},
		{Name: "qdq_cnn_s128_w32", Batch: 1, Large: true, Build: func() (*ir.Graph, error) {
			return QDQConvNet(QDQConfig{Opset: 13, Size: 128, Width: 32, PerChannel: true})
		}},
		{Name: "dynquant_cnn_op13", Batch: 2, Build: func() (*ir.Graph, error) { return DynQuantConvNet(13, 20, 16) }},
	}
}
