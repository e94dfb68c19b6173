package zoo

import (
	"fmt"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// DynamicShapes builds the shape arithmetic PyTorch writes for dynamic
// axes, at the given opset (≥ 13): input "x" [batch, seq, 8] with both
// leading axes symbolic; x.view(x.size(0), -1) through Shape, Gather,
// Unsqueeze, Concat and Reshape; positions from Range(0, seq) added per
// row; a bias Expanded to Shape(x); a causal mask from Range and Less (a
// square [seq, seq] computed at run time) applied with Where to x·xᵀ
// before a Softmax; a ConstantOfShape of [batch, seq] ones summed in.
// Outputs "flat", "pos", "expanded", "attn".
func DynamicShapes(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("dynamic_op%d", opset), opset, 20)
	b := n.b
	i64 := func(v ...int64) *builder.Value { return b.Int64s(v...) }
	x := b.Input("x", ir.Float32, "batch", "seq", 8)
	s := b.Shape(x)
	bt := b.Gather(s, b.Const(ir.Scalar(int64(0))), builder.AttrAxis(0))
	sq := b.Gather(s, b.Const(ir.Scalar(int64(1))), builder.AttrAxis(0))
	flat := b.Reshape(x, builder.Inputs(b.Concat(n.unsqueeze(bt, 0), builder.Inputs(i64(-1)), builder.AttrAxis(0))))
	r := b.Range(b.Const(ir.Scalar(int64(0))), sq, b.Const(ir.Scalar(int64(1))))
	pos := b.Add(x, b.Mul(n.unsqueeze(b.Cast(r, builder.AttrTo(int64(ir.Float32))), 1), b.Scalar(ir.Float32, 0.1)))
	bias := b.Weight("bias", []int64{8}, builder.Uniform(-1, 1), builder.Fans{})
	ones := b.ConstantOfShape(b.Concat(n.unsqueeze(bt, 0), builder.Inputs(n.unsqueeze(sq, 0)), builder.AttrAxis(0)),
		builder.AttrValueAsTensor(ir.FromSlice([]float32{1}, 1)))
	expanded := b.Add(b.Expand(bias, s), n.unsqueeze(ones, 2))
	scores := b.MatMul(pos, b.Transpose(x, builder.AttrPerm(0, 2, 1))) // [batch, seq, seq]
	future := b.Less(n.unsqueeze(r, 1), n.unsqueeze(r, 0))             // j > i
	attn := n.softmax(b.Where(future, b.Scalar(ir.Float32, -1e9), scores))
	return b.Build(b.Output("flat", flat), b.Output("pos", pos), b.Output("expanded", expanded), b.Output("attn", attn))
}
