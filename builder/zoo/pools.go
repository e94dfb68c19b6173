package zoo

import (
	"fmt"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// PoolEdges applies pooling with the edge cases of the output-size rules
// to a 32-channel conv output (so the blocked NCHWc pooling kernels take
// them) and to the plain input, at the given opset (≥ 12): dilated
// MaxPool, ceil_mode where the last window would start in the padding,
// AveragePool counting and not counting padding under ceil_mode,
// auto_pad SAME_UPPER with a stride, and GlobalMaxPool. Input "x"
// [batch, 32, 7, 7]; one output per pooling.
func PoolEdges(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("pool_edges_op%d", opset), opset, 23)
	b := n.b
	x := b.Input("x", ir.Float32, "batch", 32, 7, 7)
	c := n.conv("conv", x, convSpec{in: 32, out: 32, kh: 1, kw: 1, bias: true})
	k, s, p := builder.AttrKernelShape, builder.AttrStrides, builder.AttrPads
	pools := []func(v *builder.Value) *builder.Value{
		func(v *builder.Value) *builder.Value {
			return b.MaxPool(v, k(3, 3), s(1, 1), p(2, 2, 2, 2), builder.AttrDilations(2, 2))[0]
		},
		func(v *builder.Value) *builder.Value {
			return b.MaxPool(v, k(2, 2), s(2, 2), p(1, 1, 1, 1), builder.AttrCeilMode(1))[0]
		},
		func(v *builder.Value) *builder.Value {
			return b.AveragePool(v, k(2, 2), s(2, 2), p(1, 1, 1, 1), builder.AttrCeilMode(1), builder.AttrCountIncludePad(1))
		},
		func(v *builder.Value) *builder.Value {
			return b.AveragePool(v, k(3, 3), s(2, 2), p(0, 0, 1, 1), builder.AttrCeilMode(1))
		},
		func(v *builder.Value) *builder.Value {
			return b.MaxPool(v, k(3, 3), s(2, 2), builder.AttrAutoPad("SAME_UPPER"))[0]
		},
		func(v *builder.Value) *builder.Value { return b.GlobalMaxPool(v) },
	}
	var outs []*builder.Value
	for i, f := range pools {
		outs = append(outs, b.Output(fmt.Sprintf("blocked%d", i), f(c)), b.Output(fmt.Sprintf("plain%d", i), f(x)))
	}
	return b.Build(outs...)
}
