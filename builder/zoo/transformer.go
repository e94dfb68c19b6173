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
	Opset     int64
}

// Transformer dimensions: 3 heads of 8 over 7 tokens, MLP width 40.
const (
	tfHeads, tfHeadDim, tfTokens, tfMLP = 3, 8, 7, 40
	tfModel                             = tfHeads * tfHeadDim
)

// TransformerBlock builds two causal self-attention blocks as PyTorch
// exports them: one fused QKV projection split in three, heads by
// Reshape + Transpose, scores divided by √d, the causal mask, Softmax,
// the head merge and an output projection, then an MLP with GELU; with
// the LayerNorm placement, GELU form and mask style of cfg. Input "x"
// [batch, 7, 24], output "y" [batch, 7, 24].
func TransformerBlock(cfg TransformerBlockConfig) (*ir.Graph, error) {
	name := "post_ln"
	if cfg.PreLN {
		name = "pre_ln"
	}
	n := newNet(fmt.Sprintf("transformer_%s_op%d", name, cfg.Opset), cfg.Opset, 7)
	b := n.b
	x := b.Input("x", ir.Float32, "batch", tfTokens, tfModel)
	for i := range 2 {
		x = n.transformerLayer(fmt.Sprintf("layer%d", i), x, cfg)
	}
	return b.Build(b.Output("y", x))
}

func (n *net) transformerLayer(name string, x *builder.Value, cfg TransformerBlockConfig) *builder.Value {
	b := n.b
	end := b.Scope(name)
	defer end()
	gelu := n.geluErf
	if cfg.TanhGELU {
		gelu = n.geluTanh
	}
	mlp := func(h *builder.Value) *builder.Value {
		return n.linear("fc2", gelu(n.linear("fc1", h, tfModel, tfMLP)), tfMLP, tfModel)
	}
	if cfg.PreLN {
		x = b.Add(x, n.causalAttention("attn", n.layerNorm("ln1", x, tfModel), cfg.WhereMask))
		return b.Add(x, mlp(n.layerNorm("ln2", x, tfModel)))
	}
	x = n.layerNorm("ln1", b.Add(x, n.causalAttention("attn", x, cfg.WhereMask)), tfModel)
	return n.layerNorm("ln2", b.Add(x, mlp(x)), tfModel)
}

func (n *net) causalAttention(name string, x *builder.Value, where bool) *builder.Value {
	b := n.b
	end := b.Scope(name)
	defer end()
	qkv := n.split(n.linear("qkv", x, tfModel, 3*tfModel), 2, tfModel, tfModel, tfModel)
	heads := func(v *builder.Value, perm ...int64) *builder.Value {
		return b.Transpose(n.reshape(v, 0, 0, tfHeads, tfHeadDim), builder.AttrPerm(perm...))
	}
	q := heads(qkv[0], 0, 2, 1, 3) // [N, H, T, d]
	k := heads(qkv[1], 0, 2, 3, 1) // [N, H, d, T]
	v := heads(qkv[2], 0, 2, 1, 3)
	scores := b.Div(b.MatMul(q, k), b.Scalar(ir.Float32, math.Sqrt(tfHeadDim)))
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
	if where {
		keep := b.Const(&ir.Tensor{DType: ir.Bool, Shape: []int64{tfTokens, tfTokens}, Data: mask})
		scores = b.Where(keep, scores, b.Scalar(ir.Float32, math.Inf(-1)))
	} else {
		scores = b.Add(scores, b.Const(ir.FromSlice(add, tfTokens, tfTokens)))
	}
	o := b.MatMul(n.softmax(scores), v)
	o = n.reshape(b.Transpose(o, builder.AttrPerm(0, 2, 1, 3)), 0, 0, tfModel)
	return n.linear("out", o, tfModel, tfModel)
}
