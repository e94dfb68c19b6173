package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// CausalConvWithState (opset 27).

func init() {
	Register("", "CausalConvWithState", buildCausalConvWithState)
}

// buildCausalConvWithState: a causal depthwise 1-D convolution over the
// sequence P = concat(past_state (zeros when absent), input) along length:
//
//	output[b, c, t] = act(bias[c] + Σ_{j<k} weight[c, 0, j] · P[b, c, t+j])
//	present_state[b, c, :] = P[b, c, L : L+k-1]   (the last k-1 positions)
//
// with act the identity ("none") or SiLU x·sigmoid(x) ("silu", "swish").
func buildCausalConvWithState(b *Build) (Func, error) {
	act := b.Attrs().String("activation", "none")
	var silu bool
	switch act {
	case "none":
	case "silu", "swish":
		silu = true
	default:
		return nil, b.Errorf("activation %q must be silu, swish or none", act)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := miscFloatInput(c, in, 0, "input")
		if err != nil {
			return err
		}
		w, err := miscFloatInput(c, in, 1, "weight")
		if err != nil {
			return err
		}
		if x.Rank() != 3 {
			return c.Errorf("input must have shape (batch, channels, length), got %v", x.Shape)
		}
		B, C, L := int(x.Shape[0]), int(x.Shape[1]), int(x.Shape[2])
		if w.Rank() != 3 || w.Shape[0] != int64(C) || w.Shape[1] != 1 || w.Shape[2] < 1 {
			return c.Errorf("weight must have shape (%d, 1, k) with k >= 1, got %v", C, w.Shape)
		}
		K := int(w.Shape[2])
		var bias, past []float64
		if len(in) > 2 && in[2] != nil {
			bt, err := miscFloatInput(c, in, 2, "bias")
			if err != nil {
				return err
			}
			if bt.Rank() != 1 || bt.Shape[0] != int64(C) {
				return c.Errorf("bias must have shape (%d), got %v", C, bt.Shape)
			}
			bias = miscLoad(bt)
		}
		if len(in) > 3 && in[3] != nil {
			pt, err := miscFloatInput(c, in, 3, "past_state")
			if err != nil {
				return err
			}
			if !sameShape(pt.Shape, []int64{int64(B), int64(C), int64(K - 1)}) {
				return c.Errorf("past_state must have shape (%d, %d, %d), got %v", B, C, K-1, pt.Shape)
			}
			past = miscLoad(pt)
		}
		for i, t := range in {
			if t != nil && t.DType != x.DType {
				return c.Errorf("input %d has dtype %v, expected %v like the input", i, t.DType, x.DType)
			}
		}
		xs, ws := miscLoad(x), miscLoad(w)
		y, err := c.OutputUninit(0, x.DType, x.Shape)
		if err != nil {
			return err
		}
		out := make([]float64, len(xs))
		var state []float64
		want := c.NumOutputs() > 1
		if want {
			state = make([]float64, B*C*(K-1))
		}
		seq := make([]float64, K-1+L)
		for bc := 0; bc < B*C; bc++ {
			ch := bc % C
			if past != nil {
				copy(seq, past[bc*(K-1):(bc+1)*(K-1)])
			} else {
				clear(seq[:K-1])
			}
			copy(seq[K-1:], xs[bc*L:(bc+1)*L])
			kw := ws[ch*K : (ch+1)*K]
			for t := 0; t < L; t++ {
				s := 0.0
				if bias != nil {
					s = bias[ch]
				}
				for j, wv := range kw {
					s += wv * seq[t+j]
				}
				if silu {
					s = s / (1 + math.Exp(-s))
				}
				out[bc*L+t] = s
			}
			if want {
				copy(state[bc*(K-1):(bc+1)*(K-1)], seq[L:])
			}
		}
		miscStore(y, out)
		if want {
			st, err := c.OutputUninit(1, x.DType, []int64{int64(B), int64(C), int64(K - 1)})
			if err != nil {
				return err
			}
			miscStore(st, state)
		}
		return nil
	}, nil
}
