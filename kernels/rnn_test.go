package kernels

import (
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestSimpleRNNValues(t *testing.T) {
	x := ir.FromSlice([]float32{1, 2}, 2, 1, 1)
	w := ir.FromSlice([]float32{0.5}, 1, 1, 1)
	r := ir.FromSlice([]float32{0.25}, 1, 1, 1)
	outs, err := nntRun("RNN", 14, nntAttrs("hidden_size", 1), 2, x, w, r)
	if err != nil {
		t.Fatal(err)
	}
	h1 := math.Tanh(0.5)
	h2 := math.Tanh(1 + 0.25*h1)
	nntClose(t, "Y", outs[0].F32(), []float32{float32(h1), float32(h2)}, 1e-6)
	nntClose(t, "Y_h", outs[1].F32(), []float32{float32(h2)}, 1e-6)
	// Reverse with Relu.
	outs, err = nntRun("RNN", 14, nntAttrs("direction", "reverse", "activations", []string{"Relu"}), 2, x, w, r)
	if err != nil {
		t.Fatal(err)
	}
	nntClose(t, "reverse Y", outs[0].F32(), []float32{0.5 + 0.25, 1}, 1e-6)
}

// TestRecurrentConsistency checks the layouts, directions and sequence
// lengths against each other for LSTM, GRU and RNN.
func TestRecurrentConsistency(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	const seq, batch, in, hid = 4, 3, 5, 6
	for _, op := range []struct {
		name  string
		gates int64
		nOut  int
		extra ir.Attrs
	}{{"LSTM", 4, 3, nil}, {"GRU", 3, 2, nil}, {"GRU", 3, 2, nntAttrs("linear_before_reset", 1)}, {"RNN", 1, 2, nil}} {
		G := op.gates
		x := nntRand(rng, seq, batch, in)
		w := nntRand(rng, 2, G*hid, in)
		r := nntRand(rng, 2, G*hid, hid)
		b := nntRand(rng, 2, 2*G*hid)
		h0 := nntRand(rng, 2, batch, hid)
		attrs := func(kv ...any) ir.Attrs {
			a := nntAttrs(kv...)
			for k, v := range op.extra {
				a[k] = v
			}
			return a
		}
		inputs := func(x, w, r, b, lens, h0 *ir.Tensor) []*ir.Tensor {
			in := []*ir.Tensor{x, w, r, b, lens, h0}
			if op.name == "LSTM" {
				in = append(in, nil, nil)
			}
			return in
		}
		bi, err := nntRun(op.name, 14, attrs("direction", "bidirectional", "clip", 3.0), op.nOut, inputs(x, w, r, b, nil, h0)...)
		if err != nil {
			t.Fatalf("%s bidirectional: %v", op.name, err)
		}
		// The reverse half equals a reverse-only run with direction 1's weights.
		half := func(t3 *ir.Tensor) *ir.Tensor {
			n := t3.Len() / 2
			return ir.FromSlice(append([]float32{}, t3.F32()[n:]...), append([]int64{1}, t3.Shape[1:]...)...)
		}
		rev, err := nntRun(op.name, 14, attrs("direction", "reverse", "clip", 3.0), op.nOut, inputs(x, half(w), half(r), half(b), nil, half(h0))...)
		if err != nil {
			t.Fatalf("%s reverse: %v", op.name, err)
		}
		nntClose(t, op.name+" Y_h reverse", rev[1].F32(), bi[1].F32()[batch*hid:], 1e-5)
		// Layout 1 is layout 0 transposed.
		xt := ir.FromSlice(rnnTranspose01(x.F32(), seq, batch, in), batch, seq, in)
		h0t := ir.FromSlice(rnnTranspose01(h0.F32(), 2, batch, hid), batch, 2, hid)
		l1, err := nntRun(op.name, 14, attrs("direction", "bidirectional", "clip", 3.0, "layout", 1), op.nOut, inputs(xt, w, r, b, nil, h0t)...)
		if err != nil {
			t.Fatalf("%s layout 1: %v", op.name, err)
		}
		nntClose(t, op.name+" Y_h layout", rnnTranspose01(l1[1].F32(), batch, 2, hid), bi[1].F32(), 1e-6)
		// Sequence lengths: a batch entry with length 2 ends after 2 steps.
		lens := ir.FromSlice([]int32{4, 2, 3}, 3)
		sl, err := nntRun(op.name, 14, attrs("direction", "forward"), op.nOut, inputs(x, half(w), half(r), half(b), lens, half(h0))...)
		if err != nil {
			t.Fatalf("%s seq lens: %v", op.name, err)
		}
		y := sl[0].F32() // [seq, 1, batch, hid]
		for j := range hid {
			if y[(2*batch+1)*hid+j] != 0 || y[(3*batch+1)*hid+j] != 0 {
				t.Fatalf("%s: Y past the sequence end is not zero", op.name)
			}
			if y[(1*batch+1)*hid+j] != sl[1].F32()[1*hid+j] {
				t.Fatalf("%s: Y_h is not the last valid step", op.name)
			}
		}
	}
}
