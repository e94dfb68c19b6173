package layers

import (
	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// BatchNormLayer normalises channels with moving statistics (inference
// form).
type BatchNormLayer struct {
	base
	gamma, beta, mean, variance *builder.Value
}

// BatchNorm returns a batch normalisation over axis 1, the channels of a
// channels-first input (Keras BatchNormalization(axis=1)); at inference it
// is ONNX BatchNormalization with the moving mean and variance. Weights:
// gamma (ones), beta (zeros), moving_mean (zeros), moving_variance (ones).
// Options: Name, Epsilon (default 1e-3).
func BatchNorm(opts ...Option) *BatchNormLayer {
	return &BatchNormLayer{base: newBase("BatchNorm", "batch_normalization", []string{"Name", "Epsilon"}, opts)}
}

func (l *BatchNormLayer) Call(x *builder.Value) *builder.Value {
	b, end, ok := l.enter(x)
	if !ok {
		return b.Invalid()
	}
	defer end()
	if x.Rank() < 2 || !x.Dim(1).Known() || !l.wantFloat(b, x) {
		l.fail(b, "expects a [batch, channels, ...] input with known channels, got %v", x.Type())
		return b.Invalid()
	}
	c := x.Dim(1).Size
	if l.gamma == nil {
		shape := []int64{c}
		l.gamma = b.Weight("gamma", shape, builder.Ones, builder.Fans{})
		l.beta = b.Weight("beta", shape, builder.Zeros, builder.Fans{})
		l.mean = b.Weight("moving_mean", shape, builder.Zeros, builder.Fans{})
		l.variance = b.Weight("moving_variance", shape, builder.Ones, builder.Fans{})
	}
	args := []builder.Arg{builder.AttrEpsilon(float32(epsilon(l.cfg, 1e-3)))}
	if b.Opset("") < 7 {
		args = append(args, builder.AttrIsTest(1))
	}
	return b.BatchNormalization(x, l.gamma, l.beta, l.mean, l.variance, args...)[0]
}

func epsilon(c config, def float64) float64 {
	if c.given["Epsilon"] {
		return c.epsilon
	}
	return def
}

// LayerNormLayer normalises each sample over its last axis.
type LayerNormLayer struct {
	base
	gamma, beta *builder.Value
	eps         float64
}

// LayerNorm returns a layer normalisation over the last axis (Keras
// LayerNormalization): ONNX LayerNormalization from opset 17, the
// equivalent ReduceMean/Sub/Mul/Sqrt/Div before. Weights: gamma (ones),
// beta (zeros). Options: Name, Epsilon (default 1e-3).
func LayerNorm(opts ...Option) *LayerNormLayer {
	return &LayerNormLayer{base: newBase("LayerNorm", "layer_normalization", []string{"Name", "Epsilon"}, opts), eps: 1e-3}
}

func (l *LayerNormLayer) Call(x *builder.Value) *builder.Value {
	b, end, ok := l.enter(x)
	if !ok {
		return b.Invalid()
	}
	defer end()
	d, ok := l.lastDim(b, x)
	if !ok || !l.wantFloat(b, x) {
		return b.Invalid()
	}
	if l.gamma == nil {
		l.gamma = b.Weight("gamma", []int64{d}, builder.Ones, builder.Fans{})
		l.beta = b.Weight("beta", []int64{d}, builder.Zeros, builder.Fans{})
	}
	eps := epsilon(l.cfg, l.eps)
	if b.Opset("") >= 17 {
		return b.LayerNormalization(x, l.gamma, l.beta, builder.AttrAxis(-1), builder.AttrEpsilon(float32(eps)))[0]
	}
	dt := x.DType()
	mean := reduceMean(b, x, -1)
	diff := b.Sub(x, mean)
	variance := reduceMean(b, b.Mul(diff, diff), -1)
	norm := b.Div(diff, b.Sqrt(b.Add(variance, b.Scalar(dt, eps))))
	return b.Add(b.Mul(norm, l.gamma), l.beta)
}

// EmbeddingLayer maps integer ids to vectors.
type EmbeddingLayer struct {
	base
	vocab, dim int
	table      *builder.Value
}

// Embedding returns a lookup table of inputDim vectors of size outputDim
// (Keras Embedding): ONNX Gather on the table "embeddings"
// [inputDim, outputDim], initialised uniformly in [-0.05, 0.05). Ids that
// are not int32 or int64 are cast to int64 first, as Keras does; this lets
// a model take its ids as float32. Options: Name, KernelInit (the table's
// initialiser).
func Embedding(inputDim, outputDim int, opts ...Option) *EmbeddingLayer {
	return &EmbeddingLayer{base: newBase("Embedding", "embedding", []string{"Name", "KernelInit"}, opts), vocab: inputDim, dim: outputDim}
}

// Table returns the embeddings weight (nil before the first call).
func (l *EmbeddingLayer) Table() *builder.Value { return l.table }

func (l *EmbeddingLayer) Call(x *builder.Value) *builder.Value {
	b, end, ok := l.enter(x)
	if !ok {
		return b.Invalid()
	}
	defer end()
	if l.vocab <= 0 || l.dim <= 0 {
		l.fail(b, "needs positive sizes, got %d×%d", l.vocab, l.dim)
		return b.Invalid()
	}
	if l.table == nil {
		l.table = b.Weight("embeddings", []int64{int64(l.vocab), int64(l.dim)}, orInit(l.cfg.kernelInit, builder.Uniform(-0.05, 0.05)), builder.Fans{})
	}
	ids := x
	if dt := x.DType(); dt != ir.Int64 && dt != ir.Int32 {
		ids = b.Cast(x, builder.AttrTo(int64(ir.Int64)))
	}
	return b.Gather(l.table, ids, builder.AttrAxis(0))
}
