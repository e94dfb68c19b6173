package layers

import (
	"math"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// TransformerEncoderLayer is one self-attention encoder block.
type TransformerEncoderLayer struct {
	base
	heads, ffDim int
	attn         *MultiHeadAttentionLayer
	norm1, norm2 *LayerNormLayer
	ff1, ff2     *DenseLayer
}

// TransformerEncoder returns a Transformer encoder block (keras_hub
// TransformerEncoder): multi-head self-attention with numHeads heads of
// size features/numHeads, dropout, a residual connection and layer
// normalisation, then a feed-forward network Dense(ffDim, activation) →
// Dense(features), dropout, a residual connection and layer normalisation.
// Its input is [batch, time, features] and so is its output. Options:
// Name, an activation for the feed-forward network (default ReLU),
// DropoutRate, Epsilon (default 1e-5), NormalizeFirst, Causal.
func TransformerEncoder(numHeads, ffDim int, opts ...Option) *TransformerEncoderLayer {
	return &TransformerEncoderLayer{base: newBase("TransformerEncoder", "transformer_encoder",
		[]string{"Name", "activation", "DropoutRate", "Epsilon", "NormalizeFirst", "Causal"}, opts), heads: numHeads, ffDim: ffDim}
}

func (l *TransformerEncoderLayer) Call(x *builder.Value) *builder.Value {
	b, end, ok := l.enter(x)
	if !ok {
		return b.Invalid()
	}
	defer end()
	d, ok := l.lastDim(b, x)
	if !ok || !l.wantRank(b, x, "a [batch, time, features] input", 3) {
		return b.Invalid()
	}
	if l.heads <= 0 || d%int64(l.heads) != 0 {
		l.fail(b, "needs the feature size %d to be a multiple of the number of heads %d", d, l.heads)
		return b.Invalid()
	}
	if l.attn == nil {
		var aopts []Option
		if l.cfg.causal {
			aopts = append(aopts, Causal())
		}
		eps := Epsilon(epsilon(l.cfg, 1e-5))
		act := ReLU
		if l.cfg.activation != nil {
			act = *l.cfg.activation
		}
		l.attn = MultiHeadAttention(l.heads, int(d)/l.heads, append(aopts, Name("self_attention"))...)
		l.norm1 = LayerNorm(eps, Name("self_attention_layer_norm"))
		l.ff1 = Dense(l.ffDim, act, Name("feedforward_intermediate_dense"))
		l.ff2 = Dense(int(d), Name("feedforward_output_dense"))
		l.norm2 = LayerNorm(eps, Name("feedforward_layer_norm"))
	}
	drop := func(v *builder.Value) *builder.Value {
		if l.cfg.dropout > 0 {
			return dropout(b, v, l.cfg.dropout)
		}
		return v
	}
	if l.cfg.normFirst {
		x = b.Add(x, drop(l.attn.Call(l.norm1.Call(x))))
		return b.Add(x, drop(l.ff2.Call(l.ff1.Call(l.norm2.Call(x)))))
	}
	x = l.norm1.Call(b.Add(x, drop(l.attn.Call(x))))
	return l.norm2.Call(b.Add(x, drop(l.ff2.Call(l.ff1.Call(x)))))
}

// PositionalEncodingLayer adds sinusoidal position encodings.
type PositionalEncodingLayer struct{ base }

// PositionalEncoding returns a layer adding the sinusoidal position
// encoding of "Attention Is All You Need" to a [batch, time, features]
// input: feature 2i of position p gets sin(p / w^(2i/features)) and
// feature 2i+1 cos of the same, w the maximum wavelength (10000). The
// encoding is a constant: [time, features] when the length is known while
// building, otherwise [MaxLength, features] sliced to the input's length.
// (keras_hub's SinusoidalPositionEncoding returns the encoding alone; this
// layer adds it.) Options: Name, MaxLength, MaxWavelength.
func PositionalEncoding(opts ...Option) *PositionalEncodingLayer {
	return &PositionalEncodingLayer{newBase("PositionalEncoding", "positional_encoding", []string{"Name", "MaxLength", "MaxWavelength"}, opts)}
}

func (l *PositionalEncodingLayer) Call(x *builder.Value) *builder.Value {
	b, end, ok := l.enter(x)
	if !ok {
		return b.Invalid()
	}
	defer end()
	d, ok := l.lastDim(b, x)
	if !ok || !l.wantRank(b, x, "a [batch, time, features] input", 3) {
		return b.Invalid()
	}
	if x.DType() != ir.Float32 {
		l.fail(b, "expects a float32 input, got %v", x.Type())
		return b.Invalid()
	}
	w := l.cfg.maxWavelength
	if w == 0 {
		w = 10000
	}
	if t := x.Dim(1); t.Known() {
		return b.Add(x, b.NamedConst("encoding", sinusoid(t.Size, d, w)))
	}
	if l.cfg.maxLength <= 0 {
		l.fail(b, "needs MaxLength when the sequence length is not known, got %v", x.Type())
		return b.Invalid()
	}
	table := b.NamedConst("encoding", sinusoid(int64(l.cfg.maxLength), d, w))
	length := b.Slice(b.Shape(x), b.Int64s(1), b.Int64s(2)) // [time]
	return b.Add(x, sliceAxis(b, table, 0, 0, length))
}

// sinusoid returns the [n, d] encoding table.
func sinusoid(n, d int64, w float64) *ir.Tensor {
	out := make([]float32, n*d)
	for p := int64(0); p < n; p++ {
		for i := int64(0); i < d; i++ {
			angle := float64(p) / math.Pow(w, float64(i-i%2)/float64(d))
			if i%2 == 0 {
				out[p*d+i] = float32(math.Sin(angle))
			} else {
				out[p*d+i] = float32(math.Cos(angle))
			}
		}
	}
	return ir.FromSlice(out, n, d)
}
