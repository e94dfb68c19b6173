package layers

import (
	"math"

	"github.com/nncc/nncc/builder"
)

// ActivationFunc is an activation function. Given to a layer as an option
// it is applied to the layer's output (Keras's activation="relu"); the
// Activation layer applies it on its own.
type ActivationFunc struct {
	name string
	fn   func(b *builder.Builder, x *builder.Value) *builder.Value
}

func (a ActivationFunc) apply(c *config) { c.given["activation"] = true; c.activation = &a }

// String returns the Keras name of the activation ("relu").
func (a ActivationFunc) String() string { return a.name }

// Apply applies the activation to x.
func (a ActivationFunc) Apply(x *builder.Value) *builder.Value {
	b := x.Builder()
	if a.fn == nil {
		return x
	}
	return a.fn(b, x)
}

// The activations. Softmax normalises the last axis.
var (
	Linear  = ActivationFunc{"linear", nil}
	ReLU    = ActivationFunc{"relu", func(b *builder.Builder, x *builder.Value) *builder.Value { return b.Relu(x) }}
	Tanh    = ActivationFunc{"tanh", func(b *builder.Builder, x *builder.Value) *builder.Value { return b.Tanh(x) }}
	Sigmoid = ActivationFunc{"sigmoid", func(b *builder.Builder, x *builder.Value) *builder.Value { return b.Sigmoid(x) }}
	Softmax = ActivationFunc{"softmax", func(b *builder.Builder, x *builder.Value) *builder.Value {
		// Before opset 13 Softmax flattens the axes from axis on; for the
		// last axis both forms agree.
		return b.Softmax(x, builder.AttrAxis(-1))
	}}
	GELU = ActivationFunc{"gelu", gelu}
)

// LeakyReLU returns the leaky ReLU with slope alpha for negative inputs
// (Keras's default is 0.3; ONNX's 0.01).
func LeakyReLU(alpha float32) ActivationFunc {
	return ActivationFunc{"leaky_relu", func(b *builder.Builder, x *builder.Value) *builder.Value {
		return b.LeakyRelu(x, builder.AttrAlpha(alpha))
	}}
}

// gelu is the exact GELU, x·Φ(x): the Gelu op from opset 20, otherwise
// 0.5·x·(1 + erf(x/√2)).
func gelu(b *builder.Builder, x *builder.Value) *builder.Value {
	if b.Opset("") >= 20 {
		return b.Gelu(x)
	}
	dt := x.DType()
	e := b.Erf(b.Mul(x, b.Scalar(dt, 1/math.Sqrt2)))
	return b.Mul(b.Mul(x, b.Scalar(dt, 0.5)), b.Add(e, b.Scalar(dt, 1)))
}

// activationLayer applies an activation on its own.
type activationLayer struct {
	base
	act ActivationFunc
}

// Activation returns a layer applying act (Keras layers.Activation).
func Activation(act ActivationFunc, opts ...Option) Layer {
	return &activationLayer{base: newBase("Activation", "activation", []string{"Name"}, opts), act: act}
}

func (l *activationLayer) Call(x *builder.Value) *builder.Value {
	_, end, ok := l.enter(x)
	if !ok {
		return x.Builder().Invalid()
	}
	defer end()
	return l.act.Apply(x)
}

// activate applies the configured activation, if any.
func (c *config) activate(x *builder.Value) *builder.Value {
	if c.activation == nil {
		return x
	}
	return c.activation.Apply(x)
}
