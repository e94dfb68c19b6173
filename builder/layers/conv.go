package layers

import (
	"github.com/nncc/nncc/builder"
)

// Conv2DLayer is a 2-D convolution over channels-first images.
type Conv2DLayer struct {
	base
	filters, size int
	kernel, bias  *builder.Value
}

// Conv2D returns a 2-D convolution with filters output channels and a
// kernelSize×kernelSize kernel (Keras Conv2D with
// data_format="channels_first"). Its input is [batch, channels, height,
// width] and its kernel [filters, channels, kh, kw]. Options: Name, an
// activation, UseBias, KernelInit, BiasInit, Strides, Padding,
// DilationRate, KernelSize2D.
func Conv2D(filters, kernelSize int, opts ...Option) *Conv2DLayer {
	return &Conv2DLayer{base: newBase("Conv2D", "conv2d", []string{"Name", "activation", "UseBias", "KernelInit", "BiasInit", "Strides", "Padding", "DilationRate", "KernelSize2D"}, opts),
		filters: filters, size: kernelSize}
}

// Kernel returns the kernel weight (nil before the first call).
func (l *Conv2DLayer) Kernel() *builder.Value { return l.kernel }

// Bias returns the bias weight (nil before the first call or without bias).
func (l *Conv2DLayer) Bias() *builder.Value { return l.bias }

func (l *Conv2DLayer) Call(x *builder.Value) *builder.Value {
	b, end, ok := l.enter(x)
	if !ok {
		return b.Invalid()
	}
	defer end()
	if !l.wantRank(b, x, "a [batch, channels, height, width] input", 4) || !l.wantFloat(b, x) {
		return b.Invalid()
	}
	c := x.Dim(1)
	if !c.Known() {
		l.fail(b, "needs the channel dimension to be known, got %v", x.Type())
		return b.Invalid()
	}
	k, ok1 := pair(l.cfg.kernel2, l.size)
	s, ok2 := pair(l.cfg.strides, 1)
	d, ok3 := pair(l.cfg.dilations, 1)
	if !ok1 || !ok2 || !ok3 || l.filters <= 0 || k[0] <= 0 || k[1] <= 0 {
		l.fail(b, "needs positive filters and a kernel size, strides and dilations of one or two values")
		return b.Invalid()
	}
	if l.kernel == nil {
		l.kernel = b.Weight("kernel", []int64{int64(l.filters), c.Size, k[0], k[1]}, orInit(l.cfg.kernelInit, builder.GlorotUniform), builder.Fans{})
		if l.cfg.useBias {
			l.bias = b.Weight("bias", []int64{int64(l.filters)}, orInit(l.cfg.biasInit, builder.Zeros), builder.Fans{})
		}
	} else if c.Size != l.kernel.Dim(1).Size {
		l.fail(b, "was built for %d channels, called on %v", l.kernel.Dim(1).Size, x.Type())
		return b.Invalid()
	}
	args := []builder.Arg{builder.AttrKernelShape(k...), builder.AttrStrides(s...), builder.AttrDilations(d...)}
	if l.bias != nil {
		args = append([]builder.Arg{l.bias}, args...)
	}
	pad, ok := padArgs(&l.base, b, x, l.cfg.padding, k, s, d)
	if !ok {
		return b.Invalid()
	}
	y := b.Conv(x, l.kernel, append(args, pad...)...)
	return l.cfg.activate(y)
}

// padArgs turns a Keras padding into ONNX pads for the two spatial axes of
// x: none for "valid"; for "same", explicit pads when the spatial sizes are
// known (the extra one at the end, as TensorFlow does) and auto_pad
// SAME_UPPER otherwise.
func padArgs(l *base, b *builder.Builder, x *builder.Value, padding string, k, s, d []int64) ([]builder.Arg, bool) {
	switch padding {
	case "", "valid":
		return nil, true
	case "same":
	default:
		l.fail(b, "padding must be \"valid\" or \"same\", got %q", padding)
		return nil, false
	}
	pads := make([]int64, 4)
	for i := 0; i < 2; i++ {
		in := x.Dim(2 + i)
		if !in.Known() {
			return []builder.Arg{builder.AttrAutoPad("SAME_UPPER")}, true
		}
		out := (in.Size + s[i] - 1) / s[i]
		total := max((out-1)*s[i]+(k[i]-1)*d[i]+1-in.Size, 0)
		pads[i], pads[2+i] = total/2, total-total/2
	}
	return []builder.Arg{builder.AttrPads(pads...)}, true
}
