package zoo

import (
	"math"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// net carries a builder and the opset through the layer helpers of the
// generality models, writing each op in the form its opset defines (Clip
// bounds as attributes before opset 11, axes as attributes before 13 or
// 18, BatchNormalization's spatial attribute at opset 7, ...).
type net struct {
	b     *builder.Builder
	opset int64
}

func newNet(name string, opset int64, seed uint64) *net {
	return &net{b: builder.New(name, opset, builder.Seed(seed)), opset: opset}
}

// ConvSpec is one 2-D convolution: kernel, stride, dilation, group and
// the pads (top, left, bottom, right), which may be asymmetric.
type convSpec struct {
	in, out, kh, kw int64
	stride, dil     int64
	group           int64
	pads            [4]int64
	bias            bool
}

// conv adds a Conv with He-normal weights (and a small bias when asked).
func (n *net) conv(name string, x *builder.Value, c convSpec) *builder.Value {
	b := n.b
	end := b.Scope(name)
	defer end()
	if c.stride == 0 {
		c.stride = 1
	}
	if c.dil == 0 {
		c.dil = 1
	}
	if c.group == 0 {
		c.group = 1
	}
	cin := c.in / c.group
	fans := builder.Fans{In: int(cin * c.kh * c.kw), Out: int(c.out * c.kh * c.kw)}
	w := b.Weight("weight", []int64{c.out, cin, c.kh, c.kw}, builder.HeNormal, fans)
	args := []builder.Arg{
		builder.AttrKernelShape(c.kh, c.kw), builder.AttrStrides(c.stride, c.stride),
		builder.AttrDilations(c.dil, c.dil), builder.AttrGroup(c.group),
		builder.AttrPads(c.pads[0], c.pads[1], c.pads[2], c.pads[3]),
	}
	if c.bias {
		args = append([]builder.Arg{b.Weight("bias", []int64{c.out}, builder.Uniform(-0.1, 0.1), builder.Fans{})}, args...)
	}
	return b.Conv(x, w, args...)
}

// bn adds an inference BatchNormalization with random, well-scaled
// statistics over ch channels.
func (n *net) bn(name string, x *builder.Value, ch int64) *builder.Value {
	b := n.b
	end := b.Scope(name)
	defer end()
	s := []int64{ch}
	gamma := b.Weight("gamma", s, builder.Uniform(0.5, 1.0), builder.Fans{})
	beta := b.Weight("beta", s, builder.Uniform(-0.1, 0.1), builder.Fans{})
	mean := b.Weight("mean", s, builder.Uniform(-0.1, 0.1), builder.Fans{})
	variance := b.Weight("var", s, builder.Uniform(0.5, 1.5), builder.Fans{})
	args := []builder.Arg{builder.AttrEpsilon(1e-5)}
	if n.opset < 9 {
		args = append(args, builder.AttrSpatial(1))
	}
	return b.BatchNormalization(x, gamma, beta, mean, variance, args...)[0]
}

// clip is Clip(x, lo, hi): attributes before opset 11, inputs after.
func (n *net) clip(x *builder.Value, lo, hi float32) *builder.Value {
	if n.opset < 11 {
		return n.b.Clip(x, builder.AttrMin(lo), builder.AttrMax(hi))
	}
	return n.b.Clip(x, builder.Inputs(n.b.Scalar(ir.Float32, float64(lo)), n.b.Scalar(ir.Float32, float64(hi))))
}

// relu6 is Clip(x, 0, 6), as PyTorch exports nn.ReLU6.
func (n *net) relu6(x *builder.Value) *builder.Value { return n.clip(x, 0, 6) }

// dense is x·Wᵀ + b through Gemm (transB) for rank-2 x.
func (n *net) dense(name string, x *builder.Value, in, out int64) *builder.Value {
	b := n.b
	end := b.Scope(name)
	defer end()
	w := b.Weight("weight", []int64{out, in}, builder.GlorotUniform, builder.Fans{In: int(in), Out: int(out)})
	bias := b.Weight("bias", []int64{out}, builder.Uniform(-0.1, 0.1), builder.Fans{})
	return b.Gemm(x, w, bias, builder.AttrTransB(1))
}

// linear is x·W + b through MatMul + Add, as PyTorch exports nn.Linear on
// tensors of rank > 2.
func (n *net) linear(name string, x *builder.Value, in, out int64) *builder.Value {
	b := n.b
	end := b.Scope(name)
	defer end()
	w := b.Weight("weight", []int64{in, out}, builder.GlorotUniform, builder.Fans{In: int(in), Out: int(out)})
	bias := b.Weight("bias", []int64{out}, builder.Uniform(-0.1, 0.1), builder.Fans{})
	return b.Add(b.MatMul(x, w), bias)
}

// flatten is Flatten(axis 1).
func (n *net) flatten(x *builder.Value) *builder.Value {
	return n.b.Flatten(x, builder.AttrAxis(1))
}

// softmax over the last axis of a rank-r value: axis -1 at opset 13, and
// before it axis r-1, which coerces to the same 2-D view.
func (n *net) softmax(x *builder.Value) *builder.Value {
	if n.opset >= 13 {
		return n.b.Softmax(x, builder.AttrAxis(-1))
	}
	return n.b.Softmax(x, builder.AttrAxis(int64(x.Rank()-1)))
}

// reduceMean over axes with keepdims, axes an attribute before opset 18.
func (n *net) reduceMean(x *builder.Value, axes ...int64) *builder.Value {
	if n.opset >= 18 {
		return n.b.ReduceMean(x, builder.Inputs(n.b.Int64s(axes...)), builder.AttrKeepdims(1))
	}
	return n.b.ReduceMean(x, builder.AttrAxes(axes...), builder.AttrKeepdims(1))
}

// unsqueeze with axes as an attribute before opset 13.
func (n *net) unsqueeze(x *builder.Value, axes ...int64) *builder.Value {
	if n.opset >= 13 {
		return n.b.Unsqueeze(x, builder.Inputs(n.b.Int64s(axes...)))
	}
	return n.b.Unsqueeze(x, builder.AttrAxes(axes...))
}

// split splits x along axis into parts of the given sizes (an input from
// opset 13, an attribute before).
func (n *net) split(x *builder.Value, axis int64, sizes ...int64) []*builder.Value {
	if n.opset >= 13 {
		return n.b.Split(x, builder.Inputs(n.b.Int64s(sizes...)), builder.AttrAxis(axis), builder.NumOutputs(len(sizes)))
	}
	return n.b.Split(x, builder.AttrSplit(sizes...), builder.AttrAxis(axis), builder.NumOutputs(len(sizes)))
}

// reshape to a constant shape (0 copies, -1 infers).
func (n *net) reshape(x *builder.Value, shape ...int64) *builder.Value {
	return n.b.Reshape(x, builder.Inputs(n.b.Int64s(shape...)))
}

// layerNorm normalises the last axis of width d: the LayerNormalization
// op from opset 17, before it the ReduceMean/Sub/Pow/Sqrt/Div chain
// PyTorch writes.
func (n *net) layerNorm(name string, x *builder.Value, d int64) *builder.Value {
	b := n.b
	end := b.Scope(name)
	defer end()
	gamma := b.Weight("weight", []int64{d}, builder.Uniform(0.8, 1.2), builder.Fans{})
	beta := b.Weight("bias", []int64{d}, builder.Uniform(-0.1, 0.1), builder.Fans{})
	if n.opset >= 17 {
		return b.LayerNormalization(x, gamma, builder.Inputs(beta), builder.AttrAxis(-1), builder.AttrEpsilon(1e-5))[0]
	}
	axis := int64(x.Rank() - 1)
	mu := n.reduceMean(x, axis)
	c := b.Sub(x, mu)
	v := n.reduceMean(b.Pow(c, b.Scalar(ir.Float32, 2)), axis)
	y := b.Div(c, b.Sqrt(b.Add(v, b.Scalar(ir.Float32, 1e-5))))
	return b.Add(b.Mul(y, gamma), beta)
}

// geluErf is 0.5·x·(1 + erf(x/√2)), PyTorch's exact GELU.
func (n *net) geluErf(x *builder.Value) *builder.Value {
	b := n.b
	e := b.Erf(b.Div(x, b.Scalar(ir.Float32, math.Sqrt2)))
	return b.Mul(b.Mul(x, b.Add(e, b.Scalar(ir.Float32, 1))), b.Scalar(ir.Float32, 0.5))
}

// geluTanh is 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), the tanh
// approximation (GPT-2, BERT implementations).
func (n *net) geluTanh(x *builder.Value) *builder.Value {
	b := n.b
	f := func(v float64) *builder.Value { return b.Scalar(ir.Float32, v) }
	cube := b.Mul(b.Pow(x, f(3)), f(0.044715))
	t := b.Tanh(b.Mul(b.Add(x, cube), f(math.Sqrt(2/math.Pi))))
	return b.Mul(b.Mul(f(0.5), x), b.Add(f(1), t))
}

// upsample2x doubles the two spatial axes of an NCHW value: Upsample
// before opset 10 (scales an attribute at 7, an input at 9), Resize from
// 10 (scales the second input at 10, the third from 11) with the given
// mode ("nearest" or "linear") and, from opset 11, coordinate mode.
func (n *net) upsample2x(x *builder.Value, mode, coord string) *builder.Value {
	b := n.b
	scales := b.Float32s([]int64{4}, 1, 1, 2, 2)
	switch {
	case n.opset < 9:
		return b.Upsample(x, builder.AttrMode(mode), builder.AttrScales(1, 1, 2, 2))
	case n.opset < 10:
		return b.Upsample(x, builder.Inputs(scales), builder.AttrMode(mode))
	case n.opset < 11:
		return b.Resize(x, builder.Inputs(scales), builder.AttrMode(mode))
	}
	args := []builder.Arg{builder.AttrMode(mode)}
	if coord != "" {
		args = append(args, builder.AttrCoordinateTransformationMode(coord))
	}
	if mode == "nearest" && coord != "" && coord != "asymmetric" {
		args = append(args, builder.AttrNearestMode("round_prefer_floor"))
	}
	var roi *builder.Value
	if n.opset < 13 {
		roi = b.Float32s([]int64{0})
	}
	return b.Resize(x, append([]builder.Arg{builder.Inputs(roi, scales)}, args...)...)
}
