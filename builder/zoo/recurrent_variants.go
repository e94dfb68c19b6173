package zoo

import (
	"fmt"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// RecurrentVariants builds recurrent layers with the attributes and
// optional inputs exporters other than Keras and PyTorch's defaults use,
// at opset 14 (layout = 1) or earlier (time-major), batch 3 static:
// a bidirectional LSTM with per-sample sequence lengths (5, 2, 4 of 5
// steps), initial hidden and cell states, input_forget and clip; a GRU
// with non-default activations (HardSigmoid gates, Relu candidate) and
// clip; a bidirectional RNN with Relu one way and Tanh the other.
// Input "seq" [3, 5, 6] (batch-major at opset ≥ 14) or [5, 3, 6];
// outputs "lstm_y", "lstm_h", "lstm_c", "gru_y", "rnn_y".
func RecurrentVariants(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("recurrent_variants_op%d", opset), opset, 18)
	b := n.b
	const batch, steps, feat, hid = 3, 5, 6, 7
	batchMajor := opset >= 14
	var x *builder.Value
	var layout []builder.Arg
	if batchMajor {
		x = b.Input("seq", ir.Float32, batch, steps, feat)
		layout = []builder.Arg{builder.AttrLayout(1)}
	} else {
		x = b.Input("seq", ir.Float32, steps, batch, feat)
	}
	w := func(name string, shape ...int64) *builder.Value {
		return b.Weight(name, shape, builder.GlorotUniform, builder.Fans{In: int(shape[2]), Out: int(shape[1])})
	}
	u := func(name string, shape ...int64) *builder.Value {
		return b.Weight(name, shape, builder.Uniform(-0.5, 0.5), builder.Fans{})
	}
	state := []int64{2, batch, hid}
	if batchMajor {
		state = []int64{batch, 2, hid}
	}
	lens := b.Const(ir.FromSlice([]int32{5, 2, 4}, batch))
	lstm := b.LSTM(x, w("lstm.W", 2, 4*hid, feat), w("lstm.R", 2, 4*hid, hid),
		append([]builder.Arg{builder.Inputs(u("lstm.B", 2, 8*hid), lens, u("lstm.h0", state...), u("lstm.c0", state...)),
			builder.AttrHiddenSize(hid), builder.AttrDirection("bidirectional"), builder.AttrInputForget(1),
			builder.AttrClip(3), builder.NumOutputs(3)}, layout...)...)
	state1 := []int64{1, batch, hid}
	if batchMajor {
		state1 = []int64{batch, 1, hid}
	}
	gru := b.GRU(x, w("gru.W", 1, 3*hid, feat), w("gru.R", 1, 3*hid, hid),
		append([]builder.Arg{builder.Inputs(u("gru.B", 1, 6*hid), nil, u("gru.h0", state1...)),
			builder.AttrHiddenSize(hid), builder.AttrActivations("HardSigmoid", "Relu"), builder.AttrClip(2.5),
			builder.AttrLinearBeforeReset(1), builder.NumOutputs(1)}, layout...)...)
	rnn := b.RNN(x, w("rnn.W", 2, hid, feat), w("rnn.R", 2, hid, hid),
		append([]builder.Arg{builder.Inputs(u("rnn.B", 2, 2*hid)), builder.AttrHiddenSize(hid),
			builder.AttrDirection("bidirectional"), builder.AttrActivations("Relu", "Tanh"), builder.NumOutputs(1)}, layout...)...)
	return b.Build(b.Output("lstm_y", lstm[0]), b.Output("lstm_h", lstm[1]), b.Output("lstm_c", lstm[2]),
		b.Output("gru_y", gru[0]), b.Output("rnn_y", rnn[0]))
}
