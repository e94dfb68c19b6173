package layers

import "github.com/nncc/nncc/builder"

// pool2D is MaxPool2D or AveragePool2D.
type pool2D struct {
	base
	size int
	avg  bool
}

// MaxPool2D returns a 2-D max pooling over poolSize×poolSize windows of
// channels-first images (Keras MaxPooling2D). Strides default to the pool
// size. Options: Name, Strides, Padding.
func MaxPool2D(poolSize int, opts ...Option) Layer {
	return &pool2D{base: newBase("MaxPool2D", "max_pooling2d", []string{"Name", "Strides", "Padding"}, opts), size: poolSize}
}

// AveragePool2D returns a 2-D average pooling (Keras AveragePooling2D;
// with "same" padding the padded cells are not counted). Options: Name,
// Strides, Padding.
func AveragePool2D(poolSize int, opts ...Option) Layer {
	return &pool2D{base: newBase("AveragePool2D", "average_pooling2d", []string{"Name", "Strides", "Padding"}, opts), size: poolSize, avg: true}
}

func (l *pool2D) Call(x *builder.Value) *builder.Value {
	b, end, ok := l.enter(x)
	if !ok {
		return b.Invalid()
	}
	defer end()
	if !l.wantRank(b, x, "a [batch, channels, height, width] input", 4) {
		return b.Invalid()
	}
	k, _ := pair(nil, l.size)
	s, ok := pair(l.cfg.strides, l.size)
	if !ok || l.size <= 0 {
		l.fail(b, "needs a positive pool size and one or two strides")
		return b.Invalid()
	}
	pad, ok := padArgs(&l.base, b, x, l.cfg.padding, k, s, []int64{1, 1})
	if !ok {
		return b.Invalid()
	}
	args := append([]builder.Arg{builder.AttrKernelShape(k...), builder.AttrStrides(s...)}, pad...)
	if l.avg {
		return b.AveragePool(x, args...)
	}
	return b.MaxPool(x, args...)[0]
}
