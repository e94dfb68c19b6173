package main

import (
	"math/rand/v2"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/builder/layers"
	"github.com/nncc/nncc/builder/zoo"
	"github.com/nncc/nncc/ir"
)

// opset is the ONNX opset of every model here (that of the seed models).
const opset = 17

// batch is the batch size of the test inputs; the models' batch dimension
// is symbolic.
const batch = 2

type model struct {
	name  string
	build func() (*ir.Graph, error)
	input func(r *rand.Rand, in *ir.Value) *ir.Tensor
}

// The models are the seed architectures with small sizes (noted where they
// differ from the Keras originals) so that each file stays small.
var models = []model{
	{"cnn", cnn, normal},
	{"rnn_lstm", rnnLSTM, normal},
	{"embed_lstm", embedLSTM, ids(500)},
	{"transformer", transformer, ids(100)},
	{"gan_generator", ganGenerator, normal},
	{"gan_discriminator", ganDiscriminator, normal},
	{"cnn_batchnorm", cnnBatchNorm, normal},
	{"rnn_gru", rnnGRU, normal},
}

// large are benchmark models too big to ship in testdata/models; they are
// written only when named with -only, e.g.
//
//	go run ./internal/tools/genmodels -o /tmp/zoo -only resnet18
var large = []model{
	{"resnet18", resnet18, image},
}

// resnet18: ResNet-18 on 224×224 RGB images, 1000 classes, random weights
// (package builder/zoo), at batch 1.
func resnet18() (*ir.Graph, error) { return zoo.ResNet(zoo.ResNet18()) }

// cnn: Conv 32/64/128 with max pooling, Dense 128, softmax over 10
// classes, on 12×12 single-channel images (28×28 in the original).
func cnn() (*ir.Graph, error) {
	b := builder.New("cnn", opset)
	x := b.Input("image", ir.Float32, "batch", 1, 12, 12)
	y := layers.Sequential(
		layers.Conv2D(32, 3, layers.ReLU, layers.Padding("same")),
		layers.MaxPool2D(2),
		layers.Conv2D(64, 3, layers.ReLU, layers.Padding("same")),
		layers.MaxPool2D(2),
		layers.Conv2D(128, 3, layers.ReLU, layers.Padding("same")),
		layers.MaxPool2D(2),
		layers.Flatten(),
		layers.Dense(128, layers.ReLU),
		layers.Dense(10, layers.Softmax),
	).Call(x)
	return b.Build(b.Output("probs", y))
}

// rnnLSTM: LSTM returning sequences → LSTM → Dense softmax, 64 units over
// 20 steps of 16 features (128 units, 50×32 in the original).
func rnnLSTM() (*ir.Graph, error) {
	b := builder.New("rnn_lstm", opset)
	x := b.Input("sequence", ir.Float32, "batch", 20, 16)
	y := layers.Sequential(
		layers.LSTM(64, layers.ReturnSequences()),
		layers.LSTM(64),
		layers.Dense(10, layers.Softmax),
	).Call(x)
	return b.Build(b.Output("probs", y))
}

// embedLSTM: Embedding(500, 32) → LSTM(32) → Dropout → Dense softmax over
// 5 classes, 20 ids (Embedding(10000, 64), LSTM(64), 40 ids in the
// original). The embeddings start wider than Keras's ±0.05 so that the
// outputs differ enough between inputs to make a discriminating test.
func embedLSTM() (*ir.Graph, error) {
	b := builder.New("embed_lstm", opset)
	x := b.Input("ids", ir.Float32, "batch", 20)
	y := layers.Sequential(
		layers.Embedding(500, 32, layers.KernelInit(builder.Uniform(-1, 1))),
		layers.LSTM(32),
		layers.Dropout(0.5),
		layers.Dense(5, layers.Softmax),
	).Call(x)
	return b.Build(b.Output("probs", y))
}

// transformer: Embedding, sinusoidal positional encoding, two encoder
// blocks (d=32, 4 heads, feed-forward 64), LayerNorm, Dense over 4 classes
// per token, 16 ids (d=128 and 64 ids in the original). A softmax ends
// it so that outputs compare well between runtimes.
func transformer() (*ir.Graph, error) {
	b := builder.New("transformer", opset)
	x := b.Input("ids", ir.Float32, "batch", 16)
	y := layers.Sequential(
		layers.Embedding(100, 32),
		layers.PositionalEncoding(),
		layers.TransformerEncoder(4, 64),
		layers.TransformerEncoder(4, 64),
		layers.LayerNorm(layers.Epsilon(1e-5)),
		layers.Dense(4, layers.Softmax),
	).Call(x)
	return b.Build(b.Output("probs", y))
}

// ganGenerator: Dense 128 ReLU, Dropout, Dense tanh, Reshape to a 12×12
// image, from 16 noise values (28×28 images in the original).
func ganGenerator() (*ir.Graph, error) {
	b := builder.New("gan_generator", opset)
	z := b.Input("noise", ir.Float32, "batch", 16)
	y := layers.Sequential(
		layers.Dense(128, layers.ReLU),
		layers.Dropout(0.3),
		layers.Dense(12*12, layers.Tanh),
		layers.Reshape([]int64{1, 12, 12}),
	).Call(z)
	return b.Build(b.Output("image", y))
}

// ganDiscriminator: Flatten, Dense 128 ReLU, Dropout, Dense 1 sigmoid on
// 12×12 images (28×28 in the original).
func ganDiscriminator() (*ir.Graph, error) {
	b := builder.New("gan_discriminator", opset)
	x := b.Input("image", ir.Float32, "batch", 1, 12, 12)
	y := layers.Sequential(
		layers.Flatten(),
		layers.Dense(128, layers.ReLU),
		layers.Dropout(0.3),
		layers.Dense(1, layers.Sigmoid),
	).Call(x)
	return b.Build(b.Output("real", y))
}

// cnnBatchNorm covers the layers the seed models do not use: BatchNorm,
// leaky ReLU, average pooling, strides, GELU.
func cnnBatchNorm() (*ir.Graph, error) {
	b := builder.New("cnn_batchnorm", opset)
	x := b.Input("image", ir.Float32, "batch", 3, 12, 12)
	y := layers.Sequential(
		layers.Conv2D(16, 3, layers.Padding("same"), layers.UseBias(false)),
		layers.BatchNorm(),
		layers.Activation(layers.LeakyReLU(0.2)),
		layers.AveragePool2D(2),
		layers.Conv2D(16, 3, layers.Strides(2), layers.Padding("same"), layers.KernelInit(builder.HeNormal)),
		layers.Flatten(),
		layers.Dense(32, layers.GELU),
		layers.Dense(10, layers.Softmax),
	).Call(x)
	return b.Build(b.Output("probs", y))
}

// rnnGRU: SimpleRNN returning sequences → GRU → Dense softmax.
func rnnGRU() (*ir.Graph, error) {
	b := builder.New("rnn_gru", opset)
	x := b.Input("sequence", ir.Float32, "batch", 12, 8)
	y := layers.Sequential(
		layers.SimpleRNN(24, layers.ReturnSequences()),
		layers.GRU(24),
		layers.Dense(6, layers.Softmax),
	).Call(x)
	return b.Build(b.Output("probs", y))
}

// shapeOf returns in's shape with batch for its symbolic dimension.
func shapeOf(in *ir.Value) []int64 {
	s := make([]int64, len(in.Type.Shape))
	for i, d := range in.Type.Shape {
		s[i] = d.Size
		if !d.Known() {
			s[i] = batch
		}
	}
	return s
}

// normal is an input of standard normal values.
func normal(r *rand.Rand, in *ir.Value) *ir.Tensor {
	shape := shapeOf(in)
	data := make([]float32, ir.NumElements(shape))
	for i := range data {
		data[i] = float32(r.NormFloat64())
	}
	return ir.FromSlice(data, shape...)
}

// image is a batch-1 RGB image in [-1, 1) (latency is measured at batch 1).
func image(r *rand.Rand, in *ir.Value) *ir.Tensor {
	return zoo.RandomImage(1, in.Type.Shape[2].Size, r.Uint64())
}

// ids returns an input of token ids below vocab, as float32.
func ids(vocab int) func(r *rand.Rand, in *ir.Value) *ir.Tensor {
	return func(r *rand.Rand, in *ir.Value) *ir.Tensor {
		shape := shapeOf(in)
		data := make([]float32, ir.NumElements(shape))
		for i := range data {
			data[i] = float32(r.IntN(vocab))
		}
		return ir.FromSlice(data, shape...)
	}
}
