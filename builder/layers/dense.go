package layers

import (
	"github.com/nncc/nncc/builder"
)

// DenseLayer is a fully connected layer: activation(x·kernel + bias) over
// the last axis of x.
type DenseLayer struct {
	base
	units        int
	kernel, bias *builder.Value
}

// Dense returns a fully connected layer with units outputs (Keras Dense).
// The kernel is [in, units]. A rank-2 input becomes one Gemm; a higher
// rank, a MatMul and an Add. Options: Name, an activation, UseBias,
// KernelInit, BiasInit.
func Dense(units int, opts ...Option) *DenseLayer {
	return &DenseLayer{base: newBase("Dense", "dense", []string{"Name", "activation", "UseBias", "KernelInit", "BiasInit"}, opts), units: units}
}

// Kernel returns the kernel weight (nil before the first call).
func (l *DenseLayer) Kernel() *builder.Value { return l.kernel }

// Bias returns the bias weight (nil before the first call or without bias).
func (l *DenseLayer) Bias() *builder.Value { return l.bias }

func (l *DenseLayer) Call(x *builder.Value) *builder.Value {
	b, end, ok := l.enter(x)
	if !ok {
		return b.Invalid()
	}
	defer end()
	in, ok := l.lastDim(b, x)
	if !ok || !l.wantFloat(b, x) {
		return b.Invalid()
	}
	if l.units <= 0 {
		l.fail(b, "units must be positive, got %d", l.units)
		return b.Invalid()
	}
	if l.kernel == nil {
		l.kernel = b.Weight("kernel", []int64{in, int64(l.units)}, orInit(l.cfg.kernelInit, builder.GlorotUniform), builder.Fans{})
		if l.cfg.useBias {
			l.bias = b.Weight("bias", []int64{int64(l.units)}, orInit(l.cfg.biasInit, builder.Zeros), builder.Fans{})
		}
	} else if in != l.kernel.Dim(0).Size {
		l.fail(b, "was built for %d input features, called on %v", l.kernel.Dim(0).Size, x.Type())
		return b.Invalid()
	}
	var y *builder.Value
	switch {
	case x.Rank() == 2 && l.bias != nil:
		y = b.Gemm(x, l.kernel, l.bias)
	case x.Rank() == 2:
		y = b.Gemm(x, l.kernel)
	default:
		y = b.MatMul(x, l.kernel)
		if l.bias != nil {
			y = b.Add(y, l.bias)
		}
	}
	return l.cfg.activate(y)
}

// wantFloat checks that x is a floating-point tensor.
func (l *base) wantFloat(b *builder.Builder, x *builder.Value) bool {
	if !x.DType().IsFloat() {
		l.fail(b, "expects a floating-point input, got %v", x.Type())
		return false
	}
	return true
}

func orInit(f, def builder.Initializer) builder.Initializer {
	if f != nil {
		return f
	}
	return def
}
