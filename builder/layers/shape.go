package layers

import "github.com/nncc/nncc/builder"

type flatten struct{ base }

// Flatten returns a layer flattening every axis but the batch axis (Keras
// Flatten; ONNX Flatten with axis 1). Options: Name.
func Flatten(opts ...Option) Layer {
	return &flatten{newBase("Flatten", "flatten", []string{"Name"}, opts)}
}

func (l *flatten) Call(x *builder.Value) *builder.Value {
	b, end, ok := l.enter(x)
	if !ok {
		return b.Invalid()
	}
	defer end()
	if x.Rank() < 1 {
		l.fail(b, "expects an input with a batch axis, got %v", x.Type())
		return b.Invalid()
	}
	return b.Flatten(x, builder.AttrAxis(1))
}

type reshapeLayer struct {
	base
	target []int64
}

// Reshape returns a layer reshaping each sample to target (the batch axis
// is kept; one entry may be -1), as Keras Reshape. Options: Name.
func Reshape(target []int64, opts ...Option) Layer {
	return &reshapeLayer{base: newBase("Reshape", "reshape", []string{"Name"}, opts), target: append([]int64{}, target...)}
}

func (l *reshapeLayer) Call(x *builder.Value) *builder.Value {
	b, end, ok := l.enter(x)
	if !ok {
		return b.Invalid()
	}
	defer end()
	for _, d := range l.target {
		if d == 0 || d < -1 {
			l.fail(b, "target dimensions must be positive or -1, got %v", l.target)
			return b.Invalid()
		}
	}
	// 0 copies the batch dimension, keeping it symbolic.
	return reshape(b, x, append([]int64{0}, l.target...)...)
}

type dropoutLayer struct {
	base
	rate float64
}

// Dropout returns a dropout layer, the identity at inference: it is
// written as an ONNX Dropout node in inference mode, which every runtime
// passes through. Options: Name.
func Dropout(rate float64, opts ...Option) Layer {
	return &dropoutLayer{base: newBase("Dropout", "dropout", []string{"Name"}, opts), rate: rate}
}

func (l *dropoutLayer) Call(x *builder.Value) *builder.Value {
	b, end, ok := l.enter(x)
	if !ok {
		return b.Invalid()
	}
	defer end()
	if l.rate < 0 || l.rate >= 1 {
		l.fail(b, "rate must be in [0, 1), got %g", l.rate)
		return b.Invalid()
	}
	return dropout(b, x, l.rate)
}
