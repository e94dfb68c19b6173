// Package layers is the layer level of the builder: Keras-style layers
// that add their nodes and weights to a builder.Builder the first time
// they are called, used one after another with Sequential or called on
// values, functional style. A Keras model such as
//
//	model = keras.Sequential([
//	    layers.Conv2D(32, 3, activation="relu", padding="same"),
//	    layers.MaxPooling2D(2),
//	    layers.Flatten(),
//	    layers.Dense(10, activation="softmax"),
//	])
//
// reads, in Go,
//
//	model := layers.Sequential(
//	    layers.Conv2D(32, 3, layers.ReLU, layers.Padding("same")),
//	    layers.MaxPool2D(2),
//	    layers.Flatten(),
//	    layers.Dense(10, layers.Softmax),
//	)
//	probs := model.Call(b.Input("image", ir.Float32, "batch", 1, 28, 28))
//
// Layouts follow ONNX rather than Keras where the two differ: images are
// channels-first (NCHW), a convolution kernel is [filters, channels, kh, kw]
// and recurrent weights use ONNX's gate order, so that every layer is one
// or a few standard ONNX ops. Sequences are batch-major ([batch, time,
// features]) as in Keras.
//
// Options are shared by the layers (Name, an activation, UseBias, the
// initialisers, ...); a layer given an option it does not take reports it
// as a building error when first called. Layers are named like Keras's
// ("dense", "dense_1", ...) unless given a Name; their nodes and weights
// live in that scope ("dense_1/MatMul", "dense_1/kernel"). Calling a layer
// again reuses its weights.
package layers
