package onnx_test

import (
	"math"
	"testing"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

func sigm(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// gruStep is one GRU step of hidden and input size 1 (gates z, r, h;
// B = Wb z r h, Rb z r h) computed from the operator's formulas.
func gruStep(x, h float64, w, r, b [3]float64, rb [3]float64, linearBeforeReset bool) float64 {
	z := sigm(w[0]*x + r[0]*h + b[0] + rb[0])
	rr := sigm(w[1]*x + r[1]*h + b[1] + rb[1])
	var hh float64
	if linearBeforeReset {
		hh = math.Tanh(w[2]*x + rr*(r[2]*h+rb[2]) + b[2])
	} else {
		hh = math.Tanh(w[2]*x + r[2]*(rr*h) + rb[2] + b[2])
	}
	return (1-z)*hh + z*h
}

func TestLegacyRecurrent(t *testing.T) {
	w, r := [3]float64{0.5, -0.3, 0.8}, [3]float64{0.2, 0.4, -0.6}
	wb, rb := [3]float64{0.1, 0.2, 0.3}, [3]float64{-0.1, 0.05, 0.7}
	inits := []*onnxpb.TensorProto{
		initOf("W", f32(sh(1, 3, 1), 0.5, -0.3, 0.8)),
		initOf("R", f32(sh(1, 3, 1), 0.2, 0.4, -0.6)),
		initOf("B", f32(sh(1, 6), 0.1, 0.2, 0.3, -0.1, 0.05, 0.7)),
		initOf("h0", f32(sh(1, 1, 1), 0.5)),
	}
	x := feed{"x", f32(sh(2, 1, 1), 1, -2)}
	gru := func(lbr bool) []float32 {
		h1 := gruStep(1, 0.5, w, r, wb, rb, lbr)
		h2 := gruStep(-2, h1, w, r, wb, rb, lbr)
		return []float32{float32(h1), float32(h2)}
	}
	g0, g1 := gru(false), gru(true)
	gruNode := func(attrs ...*onnxpb.AttributeProto) []*onnxpb.NodeProto {
		return []*onnxpb.NodeProto{lNode("GRU", ss("x", "W", "R", "B", "", "h0"), ss("y", "yh"), append(attrs, aInt("hidden_size", 1))...)}
	}
	// LSTM of hidden and input size 1, gates i o f c, no bias.
	lw, lr := [4]float64{0.3, -0.2, 0.6, 0.9}, [4]float64{0.1, 0.5, -0.4, 0.2}
	lstm := func(xs ...float64) (hs []float32, c float64) {
		h := 0.0
		for _, xv := range xs {
			i := sigm(lw[0]*xv + lr[0]*h)
			o := sigm(lw[1]*xv + lr[1]*h)
			f := sigm(lw[2]*xv + lr[2]*h)
			cc := math.Tanh(lw[3]*xv + lr[3]*h)
			c = f*c + i*cc
			h = o * math.Tanh(c)
			hs = append(hs, float32(h))
		}
		return hs, c
	}
	lh, lc := lstm(1, -2)
	lstmInits := []*onnxpb.TensorProto{
		initOf("W", f32(sh(1, 4, 1), 0.3, -0.2, 0.6, 0.9)),
		initOf("R", f32(sh(1, 4, 1), 0.1, 0.5, -0.4, 0.2)),
	}
	runLegacy(t, []legacyCase{
		{name: "GRU-7 linear_before_reset=0", opset: 7, feeds: []feed{x}, inits: inits, nodes: gruNode(),
			want: map[string]*ir.Tensor{"y": f32(sh(2, 1, 1, 1), g0...), "yh": f32(sh(1, 1, 1), g0[1])}},
		{name: "GRU-7 linear_before_reset=1", opset: 7, feeds: []feed{x}, inits: inits, nodes: gruNode(aInt("linear_before_reset", 1)),
			want: map[string]*ir.Tensor{"y": f32(sh(2, 1, 1, 1), g1...), "yh": f32(sh(1, 1, 1), g1[1])}},
		{name: "GRU-3 linear_before_reset=1", opset: 3, feeds: []feed{x}, inits: inits, nodes: gruNode(aInt("linear_before_reset", 1), aInt("output_sequence", 1)),
			want: map[string]*ir.Tensor{"y": f32(sh(2, 1, 1, 1), g1...)}},
		{name: "GRU-1 default", opset: 1, feeds: []feed{x}, inits: inits, nodes: gruNode(),
			want: map[string]*ir.Tensor{"y": f32(sh(2, 1, 1, 1), g0...)}},
		{name: "GRU-1 linear_before_reset is GRU-3", opset: 2, feeds: []feed{x}, inits: inits, nodes: gruNode(aInt("linear_before_reset", 1)),
			wantErr: "linear_before_reset"},
		{name: "LSTM-7", opset: 7, feeds: []feed{x}, inits: lstmInits,
			nodes: []*onnxpb.NodeProto{lNode("LSTM", ss("x", "W", "R"), ss("y", "yh", "yc"), aInt("hidden_size", 1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 1, 1, 1), lh...), "yh": f32(sh(1, 1, 1), lh[1]), "yc": f32(sh(1, 1, 1), float32(lc))}},
		{name: "LSTM-1 output_sequence", opset: 1, feeds: []feed{x}, inits: lstmInits,
			nodes: []*onnxpb.NodeProto{lNode("LSTM", ss("x", "W", "R"), ss("y", "yh"), aInt("hidden_size", 1), aInt("output_sequence", 1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 1, 1, 1), lh...), "yh": f32(sh(1, 1, 1), lh[1])}},
		{name: "LSTM-7 output_sequence is LSTM-1", opset: 7, feeds: []feed{x}, inits: lstmInits,
			nodes:   []*onnxpb.NodeProto{lNode("LSTM", ss("x", "W", "R"), ss("y"), aInt("hidden_size", 1), aInt("output_sequence", 1))},
			wantErr: "output_sequence"},
	})
}

// Scan-8 carries a batch axis first and takes sequence_lens as its first
// input; Scan-9 has neither.
func TestLegacyScan(t *testing.T) {
	body := &onnxpb.GraphProto{
		Name: "body",
		Node: []*onnxpb.NodeProto{
			lNode("Add", ss("s_in", "x_t"), ss("s_out")),
			lNode("Identity", ss("s_out"), ss("y_t")),
		},
		Input:  []*onnxpb.ValueInfoProto{tensorVI("s_in", f32(sh(1), 0)), tensorVI("x_t", f32(sh(1), 0))},
		Output: []*onnxpb.ValueInfoProto{{Name: "s_out"}, {Name: "y_t"}},
	}
	g := &onnxpb.AttributeProto{Name: "body", Type: onnxpb.AttributeProto_GRAPH, G: body}
	runLegacy(t, []legacyCase{
		{name: "Scan-8 batch axis", opset: 8, feeds: []feed{{"s0", f32(sh(2, 1), 0, 10)}, {"xs", f32(sh(2, 3, 1), 1, 2, 3, 4, 5, 6)}},
			nodes: []*onnxpb.NodeProto{lNode("Scan", ss("", "s0", "xs"), ss("s", "ys"), g, aInt("num_scan_inputs", 1))},
			want:  map[string]*ir.Tensor{"s": f32(sh(2, 1), 6, 25), "ys": f32(sh(2, 3, 1), 1, 3, 6, 14, 19, 25)}},
		{name: "Scan-8 sequence_lens", opset: 8, feeds: []feed{{"s0", f32(sh(2, 1), 0, 10)}, {"xs", f32(sh(2, 3, 1), 1, 2, 3, 4, 5, 6)}},
			inits: []*onnxpb.TensorProto{initOf("len", i64(sh(2), 3, 2))},
			nodes: []*onnxpb.NodeProto{lNode("Scan", ss("len", "s0", "xs"), ss("s", "ys"), g, aInt("num_scan_inputs", 1))},
			want:  map[string]*ir.Tensor{"s": f32(sh(2, 1), 6, 19)}},
		{name: "Scan-9", opset: 9, feeds: []feed{{"s0", f32(sh(1), 0)}, {"xs", f32(sh(3, 1), 1, 2, 3)}},
			nodes: []*onnxpb.NodeProto{lNode("Scan", ss("s0", "xs"), ss("s", "ys"), g, aInt("num_scan_inputs", 1))},
			want:  map[string]*ir.Tensor{"s": f32(sh(1), 6), "ys": f32(sh(3, 1), 1, 3, 6)}},
	})
}
