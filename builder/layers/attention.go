package layers

import (
	"math"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// MultiHeadAttentionLayer is scaled dot-product attention with several
// heads and learned projections.
type MultiHeadAttentionLayer struct {
	base
	heads, keyDim             int
	query, key, value, output *DenseLayer
}

// MultiHeadAttention returns an attention layer with numHeads heads of
// size keyDim (Keras MultiHeadAttention): the query, key and value are
// projected by Dense layers "query", "key", "value" to heads·keyDim (the
// values to heads·valueDim), each head computes softmax(q·kᵀ/√keyDim)·v,
// and the heads, concatenated, go through the Dense layer "attention_output".
// Inputs are [batch, time, features]. Options: Name, UseBias, KernelInit,
// BiasInit, ValueDim, OutputDim, Causal.
func MultiHeadAttention(numHeads, keyDim int, opts ...Option) *MultiHeadAttentionLayer {
	return &MultiHeadAttentionLayer{base: newBase("MultiHeadAttention", "multi_head_attention",
		[]string{"Name", "UseBias", "KernelInit", "BiasInit", "ValueDim", "OutputDim", "Causal"}, opts), heads: numHeads, keyDim: keyDim}
}

// Call is self-attention: Attend(x, x, x).
func (l *MultiHeadAttentionLayer) Call(x *builder.Value) *builder.Value { return l.Attend(x, x, nil) }

// Attend attends from query [batch, T, dq] to value [batch, S, dv] with
// key [batch, S, dk] (nil: the value) and returns [batch, T, out].
func (l *MultiHeadAttentionLayer) Attend(query, value, key *builder.Value) *builder.Value {
	b, end, ok := l.enter(query)
	if !ok {
		return b.Invalid()
	}
	defer end()
	if key == nil {
		key = value
	}
	for _, v := range []*builder.Value{query, value, key} {
		if !v.Valid() || !l.wantRank(b, v, "[batch, time, features] inputs", 3) {
			return b.Invalid()
		}
	}
	dq, ok := l.lastDim(b, query)
	if !ok {
		return b.Invalid()
	}
	if l.heads <= 0 || l.keyDim <= 0 {
		l.fail(b, "needs positive heads and key size, got %d and %d", l.heads, l.keyDim)
		return b.Invalid()
	}
	vDim := l.keyDim
	if l.cfg.valueDim > 0 {
		vDim = l.cfg.valueDim
	}
	outDim := int(dq)
	if l.cfg.outputDim > 0 {
		outDim = l.cfg.outputDim
	}
	if l.query == nil {
		sub := func(name string, units int) *DenseLayer {
			d := Dense(units, Name(name), UseBias(l.cfg.useBias))
			d.cfg.kernelInit, d.cfg.biasInit = l.cfg.kernelInit, l.cfg.biasInit
			return d
		}
		l.query = sub("query", l.heads*l.keyDim)
		l.key = sub("key", l.heads*l.keyDim)
		l.value = sub("value", l.heads*vDim)
		l.output = sub("attention_output", outDim)
	}
	h, kd, vd := int64(l.heads), int64(l.keyDim), int64(vDim)
	dt := query.DType()
	// [batch, T, h·d] → [batch, T, h, d]; 0 keeps batch and time as they are.
	q := reshape(b, l.query.Call(query), 0, 0, h, kd)
	k := reshape(b, l.key.Call(key), 0, 0, h, kd)
	v := reshape(b, l.value.Call(value), 0, 0, h, vd)
	q = transpose(b, b.Mul(q, b.Scalar(dt, 1/math.Sqrt(float64(kd)))), 0, 2, 1, 3) // [batch, h, T, kd]
	k = transpose(b, k, 0, 2, 3, 1)                                                // [batch, h, kd, S]
	v = transpose(b, v, 0, 2, 1, 3)                                                // [batch, h, S, vd]
	scores := b.MatMul(q, k)                                                       // [batch, h, T, S]
	if l.cfg.causal {
		t, s := query.Dim(1), key.Dim(1)
		if !t.Known() || !s.Known() {
			l.fail(b, "Causal needs known sequence lengths, got %v and %v", query.Type(), key.Type())
			return b.Invalid()
		}
		scores = b.Add(scores, b.Const(causalMask(t.Size, s.Size)))
	}
	weights := b.Softmax(scores, builder.AttrAxis(-1))
	o := transpose(b, b.MatMul(weights, v), 0, 2, 1, 3) // [batch, T, h, vd]
	return l.output.Call(reshape(b, o, 0, 0, h*vd))
}

// causalMask is a float32 [t, s] additive mask: 0 where query i may see key j
// (j ≤ i + s - t), a large negative number elsewhere.
func causalMask(t, s int64) *ir.Tensor {
	m := make([]float32, t*s)
	for i := int64(0); i < t; i++ {
		for j := int64(0); j < s; j++ {
			if j > i+s-t {
				m[i*s+j] = -1e9
			}
		}
	}
	return ir.FromSlice(m, t, s)
}
