package zoo

import (
	"fmt"
	"math"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// TransformerBlockConfig describes one causal self-attention block.
type TransformerBlockConfig struct {
	// PreLN puts LayerNorm before attention and the MLP (GPT-2); else
	// after each residual Add (the original Transformer, BERT).
	PreLN bool
	// TanhGELU uses the tanh approximation of GELU; else the erf form.
	TanhGELU bool
	// WhereMask masks with Where(mask, scores, -inf); else an additive
	// mask of -1e9 above the diagonal.
	WhereMask bool
	// PaddingMask adds an input "keep" [batch, tokens] of 0/1 floats whose
	// zeros mask keys out (a key-padding mask, broadcast over heads and
	// queries), on top of the causal mask.
	PaddingMask bool
	Opset       int64
	// Tokens, Heads and HeadDim default to 7, 3 and 8; MLP width is 40.
	Tokens, Heads, HeadDim int64
}

const tfMLP = 40

func (c *TransformerBlockConfig) defaults() {
	if c.Tokens == 0 {
		c.Tokens = 7
	}
	if c.Heads == 0 {
		c.Heads = 3
	}
	if c.HeadDim == 0 {
		c.HeadDim = 8
	}
}

// TransformerBlock builds two causal self-attention blocks as PyTorch
// exports them: one fused QKV projection split in three, heads by
// Reshape + Transpose, scores divided by √d, the causal mask, Softmax,
// the head merge and an output projection, then an MLP with GELU; with
// the LayerNorm placement, GELU form and mask style of cfg. Input "x"
// [batch, tokens, heads·head_dim], output "y" of the same shape.
func TransformerBlock(cfg TransformerBlockConfig) (*ir.Graph, error) {
	cfg.defaults()
	name := "post_ln"
	if cfg.PreLN {
		name = "pre_ln"
	}
	n := newNet(fmt.Sprintf("transformer_%s_t%d_op%d", name, cfg.Tokens, cfg.Opset), cfg.Opset, 7)
	b := n.b
	x := b.Input("x", ir.Float32, "batch", cfg.Tokens, cfg.Heads*cfg.HeadDim)
	var pad *builder.Value
	if cfg.PaddingMask {
		keep := b.Input("keep", ir.Float32, "batch", cfg.Tokens)
		// (keep - 1)·1e4: 0 where kept, -1e4 where masked; [N, 1, 1, T].
		pad = n.unsqueeze(b.Mul(b.Sub(keep, b.Scalar(ir.Float32, 1)), b.Scalar(ir.Float32, 1e4)), 1, 2)
	}
	for i := range 2 {
		x = n.transformerLayer(fmt.Sprintf("layer%d", i), x, pad, cfg)
	}
	return b.Build(b.Output("y", x))
}

func (n *net) transformerLayer(name string, x, pad *builder.Value, cfg TransformerBlockConfig) *builder.Value {
	b := n.b
	end := b.Scope(name)
	defer end()
	tfModel := cfg.Heads * cfg.HeadDim
	gelu := n.geluErf
	if cfg.TanhGELU {
		gelu = n.geluTanh
	}
	mlp := func(h *builder.Value) *builder.Value {
		return n.linear("fc2", gelu(n.linear("fc1", h, tfModel, tfMLP)), tfMLP, tfModel)
	}
	if cfg.PreLN {
		x = b.Add(x, n.causalAttention("attn", n.layerNorm("ln1", x, tfModel), pad, cfg))
		return b.Add(x, mlp(n.layerNorm("ln2", x, tfModel)))
	}
	x = n.layerNorm("ln1", b.Add(x, n.causalAttention("attn", x, pad, cfg)), tfModel)
	return n.layerNorm("ln2", b.Add(x, mlp(x)), tfModel)
}

func (n *net) causalAttention(name string, x, pad *builder.Value, cfg TransformerBlockConfig) *builder.Value {
	b := n.b
	end := b.Scope(name)
	defer end()
	tfHeads, tfHeadDim, tfTokens := cfg.Heads, cfg.HeadDim, cfg.Tokens
	tfModel := tfHeads * tfHeadDim
	qkv := n.split(n.linear("qkv", x, tfModel, 3*tfModel), 2, tfModel, tfModel, tfModel)
	heads := func(v *builder.Value, perm ...int64) *builder.Value {
		return b.Transpose(n.reshape(v, 0, 0, tfHeads, tfHeadDim), builder.AttrPerm(perm...))
	}
	q := heads(qkv[0], 0, 2, 1, 3) // [N, H, T, d]
	k := heads(qkv[1], 0, 2, 3, 1) // [N, H, d, T]
	v := heads(qkv[2], 0, 2, 1, 3)
	scores := b.Div(b.MatMul(q, k), b.Scalar(ir.Float32, math.Sqrt(float64(tfHeadDim))))
	mask := make([]bool, tfTokens*tfTokens)
	add := make([]float32, tfTokens*tfTokens)
	for i := range tfTokens {
		for j := range tfTokens {
			mask[i*tfTokens+j] = j <= i
			if j > i {
				add[i*tfTokens+j] = -1e9
			}
		}
	}
	if pad != nil {
		scores = b.Add(scores, pad)
	}
	if cfg.WhereMask {
		keep := b.Const(&ir.Tensor{DType: ir.Bool, Shape: []int64{tfTokens, tfTokens}, Data: mask})
		scores = b.Where(keep, scores, b.Scalar(ir.Float32, math.Inf(-1)))
	} else {
		scores = b.Add(scores, b.Const(ir.FromSlice(add, tfTokens, tfTokens)))
	}
	o := b.MatMul(n.softmax(scores), v)
	o = n.reshape(b.Transpose(o, builder.AttrPerm(0, 2, 1, 3)), 0, 0, tfModel)
	return n.linear("out", o, tfModel, tfModel)
}
