// Package builder is the native Go way to write a model for nncc: a
// Builder records ONNX operators into an ir.Graph, inferring each value's
// dtype and shape as it goes, and the graph it builds runs in
// runtime.NewSession or exports to ONNX with frontend/onnx.Export.
//
// There are two levels. This package is the op level: one typed method per
// row of nncc's op table (ops_gen.go, generated from ir.Ops by
// internal/gen), taking the op's required inputs as parameters and its
// optional inputs and attributes as trailing Args:
//
//	b := builder.New("mlp", 17)
//	x := b.Input("x", ir.Float32, "batch", 784)
//	w := b.Weight("fc/kernel", []int64{784, 10}, builder.GlorotUniform, builder.Fans{})
//	y := b.Softmax(b.Gemm(x, w), builder.AttrAxis(-1))
//	g, err := b.Build(b.Output("probs", y))
//
// Package builder/layers is the layer level: Keras-style layers (Conv2D,
// Dense, LSTM, MultiHeadAttention, ...) used one after another with
// layers.Sequential or called on values, functional style.
//
// Mistakes do not panic and need no error check per call: the first one
// (an unknown attribute, a wrong dtype, shapes that do not fit, an op the
// chosen opset lacks) is kept with the caller's file and line, the op and
// its inputs, every later call is a no-op, and Build (or Err) returns it.
//
// Names are stable: node and value names come from the op or layer and a
// scope ("conv2d_1/Conv"), numbered in call order, and weights are named by
// their layer ("dense/kernel"). Each weight draws its initial values from a
// random stream seeded by the builder's seed and the weight's name, so
// adding a layer does not change the weights of the others.
package builder

//go:generate go run ./internal/gen -dir .
