package zoo

import (
	"fmt"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// GRUSequence builds a PyTorch-style GRU model at the given opset: input
// "sequence" [batch, 11, 7] (batch first) transposed to time-major, a GRU
// of 20 units with linear_before_reset = 1 (PyTorch's form) and an
// initial state input, a second GRU in the ONNX default form (reset
// before the recurrent product) over the first's sequence output, whose
// final state feeds a Gemm. Outputs "logits" [batch, 5] and "sequence_out"
// [11, batch, 20] (the first GRU's outputs).
func GRUSequence(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("gru_op%d", opset), opset, 5)
	b := n.b
	x := b.Input("sequence", ir.Float32, "batch", 11, 7)
	h0 := b.Input("h0", ir.Float32, 1, "batch", 20)
	t := b.Transpose(x, builder.AttrPerm(1, 0, 2)) // [T, N, F]
	y := n.gru("gru1", t, h0, 7, 20, 1, "forward")
	seq := n.reshape(y[0], 0, -1, 20) // [T, 1, N, H] → [T, N, H]
	y2 := n.gru("gru2", seq, nil, 20, 16, 0, "reverse")
	last := n.reshape(y2[1], -1, 16)
	out := n.dense("fc", last, 16, 5)
	return b.Build(b.Output("logits", out), b.Output("sequence_out", seq))
}

// gru adds a GRU of h units over x [T, N, in] with random weights.
func (n *net) gru(name string, x, h0 *builder.Value, in, h, linearBeforeReset int64, direction string) []*builder.Value {
	b := n.b
	end := b.Scope(name)
	defer end()
	w := b.Weight("W", []int64{1, 3 * h, in}, builder.GlorotUniform, builder.Fans{In: int(in), Out: int(3 * h)})
	r := b.Weight("R", []int64{1, 3 * h, h}, builder.GlorotUniform, builder.Fans{In: int(h), Out: int(3 * h)})
	bias := b.Weight("B", []int64{1, 6 * h}, builder.Uniform(-0.2, 0.2), builder.Fans{})
	args := []builder.Arg{builder.Inputs(bias, nil, h0), builder.AttrHiddenSize(h), builder.AttrDirection(direction),
		builder.AttrLinearBeforeReset(linearBeforeReset), builder.NumOutputs(2)}
	if h0 == nil {
		args[0] = builder.Inputs(bias)
	}
	return b.GRU(x, w, r, args...)
}

// BiLSTM builds a two-layer sequence model at the given opset: a
// bidirectional LSTM of 18 units over "sequence" [13, batch, 9]
// (time-major), whose [T, 2, N, H] output is transposed and reshaped to
// [T, N, 36] as PyTorch's exporter does, then a forward LSTM of 24 units
// with peepholes whose final hidden and cell states feed a Gemm. Output
// "logits" [batch, 4].
func BiLSTM(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("bilstm_op%d", opset), opset, 6)
	b := n.b
	x := b.Input("sequence", ir.Float32, 13, "batch", 9)
	y := n.lstm("lstm1", x, 9, 18, 2, false)
	seq := n.reshape(b.Transpose(y[0], builder.AttrPerm(0, 2, 1, 3)), 0, 0, 36)
	y2 := n.lstm("lstm2", seq, 36, 24, 1, true)
	hc := b.Concat(n.reshape(y2[1], -1, 24), builder.Inputs(n.reshape(y2[2], -1, 24)), builder.AttrAxis(1))
	out := n.dense("fc", hc, 48, 4)
	return b.Build(b.Output("logits", out))
}

// lstm adds an LSTM of h units in dirs directions (2: bidirectional)
// over x [T, N, in], with peephole weights when asked.
func (n *net) lstm(name string, x *builder.Value, in, h, dirs int64, peepholes bool) []*builder.Value {
	b := n.b
	end := b.Scope(name)
	defer end()
	w := b.Weight("W", []int64{dirs, 4 * h, in}, builder.GlorotUniform, builder.Fans{In: int(in), Out: int(4 * h)})
	r := b.Weight("R", []int64{dirs, 4 * h, h}, builder.GlorotUniform, builder.Fans{In: int(h), Out: int(4 * h)})
	bias := b.Weight("B", []int64{dirs, 8 * h}, builder.Uniform(-0.2, 0.2), builder.Fans{})
	dir := "forward"
	if dirs == 2 {
		dir = "bidirectional"
	}
	ins := builder.Inputs(bias)
	if peepholes {
		p := b.Weight("P", []int64{dirs, 3 * h}, builder.Uniform(-0.3, 0.3), builder.Fans{})
		ins = builder.Inputs(bias, nil, nil, nil, p)
	}
	return b.LSTM(x, w, r, ins, builder.AttrHiddenSize(h), builder.AttrDirection(dir), builder.NumOutputs(3))
}
