package layers_test

import (
	"context"
	"fmt"
	"math"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/builder/layers"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// run builds the graph, runs it on inputs and returns its first output.
func run(b *builder.Builder, out *builder.Value, inputs map[string]*ir.Tensor) *ir.Tensor {
	g, err := b.Build(out)
	if err != nil {
		panic(err)
	}
	s, err := runtime.NewSession(g, runtime.Options{Threads: 1})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	res, err := s.Run(context.Background(), inputs)
	if err != nil {
		panic(err)
	}
	return res[g.Outputs[0].Name]
}

// wave returns a float32 tensor of the given shape filled with a smooth,
// deterministic pattern.
func wave(shape ...int64) *ir.Tensor {
	t := ir.NewTensor(ir.Float32, shape)
	for i := range t.F32() {
		t.F32()[i] = float32(math.Sin(float64(i) * 0.37))
	}
	return t
}

// rowSums returns the sums of the last axis of t, rounded to 3 decimals.
func rowSums(t *ir.Tensor) []string {
	n := int(t.Shape[len(t.Shape)-1])
	var out []string
	for i := 0; i < t.Len(); i += n {
		s := float32(0)
		for _, v := range t.F32()[i : i+n] {
			s += v
		}
		out = append(out, fmt.Sprintf("%.3f", s))
	}
	return out
}

// The convolutional classifier of the Keras MNIST examples, channels
// first:
//
//	model = keras.Sequential([
//	    keras.Input(shape=(1, 28, 28)),
//	    layers.Conv2D(32, 3, activation="relu", padding="same"),
//	    layers.MaxPooling2D(2),
//	    layers.Conv2D(64, 3, activation="relu", padding="same"),
//	    layers.MaxPooling2D(2),
//	    layers.Conv2D(128, 3, activation="relu", padding="same"),
//	    layers.MaxPooling2D(2),
//	    layers.Flatten(),
//	    layers.Dense(128, activation="relu"),
//	    layers.Dense(10, activation="softmax"),
//	])
func Example_cnn() {
	b := builder.New("cnn", 17, builder.Seed(1))
	image := b.Input("image", ir.Float32, "batch", 1, 28, 28)
	model := layers.Sequential(
		layers.Conv2D(32, 3, layers.ReLU, layers.Padding("same")),
		layers.MaxPool2D(2),
		layers.Conv2D(64, 3, layers.ReLU, layers.Padding("same")),
		layers.MaxPool2D(2),
		layers.Conv2D(128, 3, layers.ReLU, layers.Padding("same")),
		layers.MaxPool2D(2),
		layers.Flatten(),
		layers.Dense(128, layers.ReLU),
		layers.Dense(10, layers.Softmax),
	)
	probs := b.Output("probs", model.Call(image))
	fmt.Println(probs)

	out := run(b, probs, map[string]*ir.Tensor{"image": wave(2, 1, 28, 28)})
	fmt.Println(out.Shape, rowSums(out))
	// Output:
	// %probs: float[batch,10]
	// [2 10] [1.000 1.000]
}

// A stacked LSTM sequence classifier:
//
//	model = keras.Sequential([
//	    keras.Input(shape=(50, 32)),
//	    layers.LSTM(128, return_sequences=True),
//	    layers.LSTM(128),
//	    layers.Dense(10, activation="softmax"),
//	])
func Example_lstm() {
	b := builder.New("rnn_lstm", 17)
	seq := b.Input("sequence", ir.Float32, "batch", 50, 32)
	model := layers.Sequential(
		layers.LSTM(128, layers.ReturnSequences()),
		layers.LSTM(128),
		layers.Dense(10, layers.Softmax),
	)
	probs := b.Output("probs", model.Call(seq))
	fmt.Println(probs)

	out := run(b, probs, map[string]*ir.Tensor{"sequence": wave(3, 50, 32)})
	fmt.Println(out.Shape, rowSums(out))
	// Output:
	// %probs: float[batch,10]
	// [3 10] [1.000 1.000 1.000]
}

// Recurrent layers return their states on request, Keras's
// return_state=True, and take initial states (functional style):
//
//	inputs = keras.Input(shape=(10, 8))
//	seq, h, c = layers.LSTM(16, return_sequences=True, return_state=True)(inputs)
//	out = layers.GRU(16)(seq, initial_state=h)
func ExampleRecurrentLayer_CallAll() {
	b := builder.New("states", 17)
	inputs := b.Input("x", ir.Float32, "batch", 10, 8)
	outs := layers.LSTM(16, layers.ReturnSequences(), layers.ReturnState()).CallAll(inputs)
	seq, h, c := outs[0], outs[1], outs[2]
	out := layers.GRU(16).CallAll(seq, h)[0]
	fmt.Println(seq.Type(), h.Type(), c.Type(), out.Type())
	// Output:
	// float[batch,10,16] float[batch,16] float[batch,16] float[batch,16]
}

// A text classifier with an embedding:
//
//	model = keras.Sequential([
//	    keras.Input(shape=(40,), dtype="int64"),
//	    layers.Embedding(10000, 64),
//	    layers.LSTM(64),
//	    layers.Dropout(0.5),
//	    layers.Dense(5, activation="softmax"),
//	])
func Example_embedding() {
	b := builder.New("embed_lstm", 17)
	ids := b.Input("ids", ir.Int64, "batch", 40)
	model := layers.Sequential(
		layers.Embedding(10000, 64),
		layers.LSTM(64),
		layers.Dropout(0.5),
		layers.Dense(5, layers.Softmax),
	)
	probs := b.Output("probs", model.Call(ids))
	fmt.Println(probs)

	tokens := ir.NewTensor(ir.Int64, []int64{2, 40})
	for i := range tokens.I64() {
		tokens.I64()[i] = int64(i*7919) % 10000
	}
	out := run(b, probs, map[string]*ir.Tensor{"ids": tokens})
	fmt.Println(out.Shape, rowSums(out))
	// Output:
	// %probs: float[batch,5]
	// [2 5] [1.000 1.000]
}

// A Transformer encoder over token ids, functional style:
//
//	ids = keras.Input(shape=(64,), dtype="int64")
//	x = layers.Embedding(1000, 128)(ids)
//	x = x + keras_hub.layers.SinusoidalPositionEncoding()(x)
//	x = keras_hub.layers.TransformerEncoder(256, num_heads=4)(x)
//	x = keras_hub.layers.TransformerEncoder(256, num_heads=4)(x)
//	x = layers.LayerNormalization()(x)
//	logits = layers.Dense(4)(x)
func Example_transformer() {
	b := builder.New("transformer", 17)
	ids := b.Input("ids", ir.Int64, "batch", 64)
	x := layers.Embedding(1000, 128).Call(ids)
	x = layers.PositionalEncoding().Call(x)
	x = layers.TransformerEncoder(4, 256).Call(x)
	x = layers.TransformerEncoder(4, 256).Call(x)
	x = layers.LayerNorm().Call(x)
	logits := b.Output("logits", layers.Dense(4).Call(x))
	fmt.Println(logits)

	tokens := ir.NewTensor(ir.Int64, []int64{1, 64})
	for i := range tokens.I64() {
		tokens.I64()[i] = int64(i*37) % 1000
	}
	out := run(b, logits, map[string]*ir.Tensor{"ids": tokens})
	fmt.Println(out.Shape)
	// Output:
	// %logits: float[batch,64,4]
	// [1 64 4]
}

// The generator and the discriminator of a simple GAN:
//
//	generator = keras.Sequential([
//	    keras.Input(shape=(100,)),
//	    layers.Dense(128, activation="relu"),
//	    layers.Dropout(0.3),
//	    layers.Dense(784, activation="tanh"),
//	    layers.Reshape((1, 28, 28)),
//	])
//	discriminator = keras.Sequential([
//	    keras.Input(shape=(1, 28, 28)),
//	    layers.Flatten(),
//	    layers.Dense(128, activation="relu"),
//	    layers.Dropout(0.3),
//	    layers.Dense(1, activation="sigmoid"),
//	])
func Example_gan() {
	gb := builder.New("generator", 17)
	noise := gb.Input("noise", ir.Float32, "batch", 100)
	generator := layers.Sequential(
		layers.Dense(128, layers.ReLU),
		layers.Dropout(0.3),
		layers.Dense(784, layers.Tanh),
		layers.Reshape([]int64{1, 28, 28}),
	)
	fake := gb.Output("image", generator.Call(noise))

	db := builder.New("discriminator", 17)
	image := db.Input("image", ir.Float32, "batch", 1, 28, 28)
	discriminator := layers.Sequential(
		layers.Flatten(),
		layers.Dense(128, layers.ReLU),
		layers.Dropout(0.3),
		layers.Dense(1, layers.Sigmoid),
	)
	real := db.Output("real", discriminator.Call(image))
	fmt.Println(fake, real)

	images := run(gb, fake, map[string]*ir.Tensor{"noise": wave(4, 100)})
	scores := run(db, real, map[string]*ir.Tensor{"image": images})
	fmt.Println(images.Shape, scores.Shape)
	// Output:
	// %image: float[batch,1,28,28] %real: float[batch,1]
	// [4 1 28 28] [4 1]
}

// Exporting writes an ONNX file for any runtime, with the opset chosen
// explicitly and the batch dimension kept symbolic; weights can be set from
// Go slices or loaded by name.
func Example_export() {
	b := builder.New("mlp", 13)
	x := b.Input("x", ir.Float32, "batch", 3)
	dense := layers.Dense(2, layers.Sigmoid, layers.Name("fc"))
	y := b.Output("y", dense.Call(x))
	if err := b.SetWeight("fc/kernel", []float32{1, 0, 0, 1, 1, 1}); err != nil {
		panic(err)
	}
	g, err := b.Build(y)
	if err != nil {
		panic(err)
	}
	model, err := onnx.Export(g, 13)
	if err != nil {
		panic(err)
	}
	fmt.Println(model.OpsetImport[0].Version, model.Graph.Input[0].Type.GetTensorType().Shape.Dim[0].GetDimParam())
	for _, w := range model.Graph.Initializer {
		fmt.Println(w.Name, w.Dims)
	}
	// Output:
	// 13 batch
	// fc/kernel [3 2]
	// fc/bias [2]
}
