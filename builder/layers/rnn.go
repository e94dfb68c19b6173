package layers

import (
	"math/rand/v2"

	"github.com/nncc/nncc/builder"
)

// RecurrentLayer is SimpleRNN, LSTM or GRU over batch-major sequences
// [batch, time, features].
type RecurrentLayer struct {
	base
	op      string // ONNX op: RNN, LSTM or GRU
	gates   int
	units   int
	w, r, b *builder.Value
}

var rnnOptions = []string{"Name", "UseBias", "KernelInit", "RecurrentInit", "BiasInit", "ReturnSequences", "ReturnState"}

// SimpleRNN returns a fully connected recurrent layer with units units
// (Keras SimpleRNN; ONNX RNN). Options: Name, an activation (tanh, the
// default, relu or sigmoid), UseBias, KernelInit, RecurrentInit, BiasInit,
// ReturnSequences, ReturnState.
func SimpleRNN(units int, opts ...Option) *RecurrentLayer {
	return &RecurrentLayer{base: newBase("SimpleRNN", "simple_rnn", append([]string{"activation"}, rnnOptions...), opts), op: "RNN", gates: 1, units: units}
}

// LSTM returns a long short-term memory layer with units units (Keras
// LSTM; ONNX LSTM, whose gate order i, o, f, c its weights use). The
// forget gate's bias starts at 1 (Keras unit_forget_bias). Options: Name,
// UseBias, KernelInit, RecurrentInit, BiasInit, ReturnSequences,
// ReturnState.
func LSTM(units int, opts ...Option) *RecurrentLayer {
	return &RecurrentLayer{base: newBase("LSTM", "lstm", rnnOptions, opts), op: "LSTM", gates: 4, units: units}
}

// GRU returns a gated recurrent unit layer with units units (Keras GRU
// with reset_after=True; ONNX GRU with linear_before_reset=1, gate order
// z, r, h). Options: Name, UseBias, KernelInit, RecurrentInit, BiasInit,
// ReturnSequences, ReturnState.
func GRU(units int, opts ...Option) *RecurrentLayer {
	return &RecurrentLayer{base: newBase("GRU", "gru", rnnOptions, opts), op: "GRU", gates: 3, units: units}
}

// Weights returns the ONNX weights W [1, gates·units, features],
// R [1, gates·units, units] and B [1, 2·gates·units] (nil before the first
// call; B nil without bias).
func (l *RecurrentLayer) Weights() (w, r, b *builder.Value) { return l.w, l.r, l.b }

// Call returns the output: [batch, units] for the last step, or [batch,
// time, units] with ReturnSequences.
func (l *RecurrentLayer) Call(x *builder.Value) *builder.Value { return l.CallAll(x)[0] }

// CallAll runs the layer from the initial states given (h, and c for an
// LSTM, each [batch, units]; zeros when omitted) and returns the output
// followed, with ReturnState, by the final states h (and c), as Keras
// returns [output, h, c] for return_state=True.
func (l *RecurrentLayer) CallAll(x *builder.Value, initial ...*builder.Value) []*builder.Value {
	nStates := 1
	if l.op == "LSTM" {
		nStates = 2
	}
	fail := func(b *builder.Builder) []*builder.Value {
		out := []*builder.Value{b.Invalid()}
		if l.cfg.returnState {
			for i := 0; i < nStates; i++ {
				out = append(out, b.Invalid())
			}
		}
		return out
	}
	b, end, ok := l.enter(x)
	if !ok {
		return fail(b)
	}
	defer end()
	if !l.wantRank(b, x, "a [batch, time, features] input", 3) || !l.wantFloat(b, x) {
		return fail(b)
	}
	f, ok := l.lastDim(b, x)
	if !ok {
		return fail(b)
	}
	if len(initial) > nStates {
		l.fail(b, "takes at most %d initial states, got %d", nStates, len(initial))
		return fail(b)
	}
	h, g := int64(l.units), int64(l.gates)
	if h <= 0 {
		l.fail(b, "units must be positive, got %d", l.units)
		return fail(b)
	}
	args := []builder.Arg{builder.AttrHiddenSize(h), builder.NumOutputs(1 + nStates)}
	if act := l.cfg.activation; act != nil {
		onnxName := map[string]string{"tanh": "Tanh", "relu": "Relu", "sigmoid": "Sigmoid"}[act.name]
		if onnxName == "" {
			l.fail(b, "activation %s is not one ONNX RNN supports (tanh, relu, sigmoid)", act.name)
			return fail(b)
		}
		args = append(args, builder.AttrActivations(onnxName))
	}
	if l.op == "GRU" {
		args = append(args, builder.AttrLinearBeforeReset(1))
	}
	if l.w == nil {
		l.w = b.Weight("kernel", []int64{1, g * h, f}, orInit(l.cfg.kernelInit, builder.GlorotUniform), builder.Fans{In: int(f), Out: int(g * h)})
		l.r = b.Weight("recurrent_kernel", []int64{1, g * h, h}, orInit(l.cfg.recurrentInit, builder.Orthogonal(1)), builder.Fans{In: int(h), Out: int(g * h)})
		if l.cfg.useBias {
			init := l.cfg.biasInit
			if init == nil && l.op == "LSTM" {
				init = forgetBiasOne(h)
			}
			l.b = b.Weight("bias", []int64{1, 2 * g * h}, orInit(init, builder.Zeros), builder.Fans{})
		}
	} else if f != l.w.Dim(2).Size {
		l.fail(b, "was built for %d features, called on %v", l.w.Dim(2).Size, x.Type())
		return fail(b)
	}
	ins := []builder.Arg{l.b, nil} // B, sequence_lens
	for _, s := range initial {
		if s == nil {
			ins = append(ins, nil)
			continue
		}
		ins = append(ins, unsqueeze(b, s, 0))
	}
	xt := transpose(b, x, 1, 0, 2) // ONNX wants [time, batch, features]
	outs := b.Op("", l.op, []*builder.Value{xt, l.w, l.r}, append(ins, args...)...)
	if b.Err() != nil {
		return fail(b)
	}
	var y *builder.Value
	if l.cfg.returnSequences {
		// Y is [time, directions, batch, units].
		y = transpose(b, squeeze(b, outs[0], 1), 1, 0, 2)
	} else {
		y = squeeze(b, outs[1], 0)
	}
	res := []*builder.Value{y}
	if l.cfg.returnState {
		for i := 1; i <= nStates; i++ {
			res = append(res, squeeze(b, outs[i], 0))
		}
	}
	return res
}

// forgetBiasOne initialises an ONNX LSTM bias [Wb; Rb] (gates i, o, f, c)
// with 1 for the input forget gate and 0 elsewhere.
func forgetBiasOne(h int64) builder.Initializer {
	return func(_ *rand.Rand, shape []int64, _ builder.Fans) []float32 {
		out := make([]float32, 8*h)
		for i := 2 * h; i < 3*h; i++ {
			out[i] = 1
		}
		return out
	}
}
