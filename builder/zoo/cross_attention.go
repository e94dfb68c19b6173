package zoo

import (
	"fmt"
	"math"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// CrossAttention builds decoder-style attention from queries "x" [batch,
// 5, 24] to a memory "memory" [batch, 9, 24] of another length, at the
// given opset: separate Q, K and V projections, the scale applied as
// d^-¼ to Q and to K separately (as some Hugging Face models do), Kᵀ by a
// Transpose of the split heads (perm 0, 1, 3, 2), a [5, 9] mask with an
// offset diagonal applied by Where, a second head layout with 4 heads of
// 6, and the merged heads projected out. Output "y" [batch, 5, 24].
func CrossAttention(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("cross_attention_op%d", opset), opset, 22)
	b := n.b
	const tq, tk, d = 5, 9, 24
	x := b.Input("x", ir.Float32, "batch", tq, d)
	mem := b.Input("memory", ir.Float32, "batch", tk, d)
	y := x
	for i, heads := range []int64{3, 4} {
		hd := d / heads
		end := b.Scope(fmt.Sprintf("attn%d", i))
		split := func(v *builder.Value) *builder.Value { // [N, T, d] → [N, H, T, hd]
			return b.Transpose(n.reshape(v, 0, 0, heads, hd), builder.AttrPerm(0, 2, 1, 3))
		}
		quarter := b.Scalar(ir.Float32, math.Pow(float64(hd), -0.25))
		q := b.Mul(split(n.linear("q", y, d, d)), quarter)
		k := b.Mul(split(n.linear("k", mem, d, d)), quarter)
		v := split(n.linear("v", mem, d, d))
		scores := b.MatMul(q, b.Transpose(k, builder.AttrPerm(0, 1, 3, 2))) // [N, H, tq, tk]
		keep := make([]bool, tq*tk)
		for r := range tq {
			for c := range tk {
				keep[r*tk+c] = c <= r+tk-tq
			}
		}
		cond := b.Const(&ir.Tensor{DType: ir.Bool, Shape: []int64{tq, tk}, Data: keep})
		p := n.softmax(b.Where(cond, scores, b.Scalar(ir.Float32, -1e4)))
		o := n.reshape(b.Transpose(b.MatMul(p, v), builder.AttrPerm(0, 2, 1, 3)), 0, 0, d)
		y = b.Add(y, n.linear("out", o, d, d))
		end()
	}
	return b.Build(b.Output("y", y))
}
