package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

func miscClose(t *testing.T, what string, got *ir.Tensor, shape []int64, want []float64) {
	t.Helper()
	if got == nil || !sameShape(got.Shape, shape) {
		t.Fatalf("%s: got %v, want shape %v", what, got, shape)
	}
	for i, w := range want {
		if g := got.Float64At(i); math.Abs(g-w) > 1e-5*(1+math.Abs(w)) {
			t.Fatalf("%s: element %d is %g, want %g", what, i, g, w)
		}
	}
}

func TestSwiGLU(t *testing.T) {
	y := grpRun(t, "", "SwiGLU", 28, ir.Attrs{}, 1, ir.FromSlice([]float32{1, 0, -2}), ir.FromSlice([]float32{2, 5, 1}))
	sig := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	miscClose(t, "alpha 1", y[0], []int64{3}, []float64{2 * sig(1), 0, -2 * sig(-2)})
	y = grpRun(t, "", "SwiGLU", 28, rndAttrs(map[string]any{"alpha": float32(2)}), 1, ir.FromSlice([]float64{1}), ir.FromSlice([]float64{1}))
	miscClose(t, "alpha 2", y[0], []int64{1}, []float64{sig(2)})
	if _, err := grpTry("", "SwiGLU", 28, ir.Attrs{}, 1, ir.FromSlice([]float32{1, 2}), ir.FromSlice([]float32{1})); err == nil {
		t.Error("mismatched shapes were accepted")
	}
}

func TestCausalConvWithState(t *testing.T) {
	x := ir.FromSlice([]float32{1, 2, 3}, 1, 1, 3)
	w := ir.FromSlice([]float32{1, 1}, 1, 1, 2)
	// P = [0 1 2 3]: sums of neighbours; the state keeps the last value.
	y := grpRun(t, "", "CausalConvWithState", 27, ir.Attrs{}, 2, x, w)
	miscClose(t, "output", y[0], []int64{1, 1, 3}, []float64{1, 3, 5})
	miscClose(t, "state", y[1], []int64{1, 1, 1}, []float64{3})
	// With bias and past state P = [10 1 2 3], SiLU.
	silu := func(v float64) float64 { return v / (1 + math.Exp(-v)) }
	y = grpRun(t, "", "CausalConvWithState", 27, rndAttrs(map[string]any{"activation": "silu"}), 2,
		x, w, ir.FromSlice([]float32{-1}), ir.FromSlice([]float32{10}, 1, 1, 1))
	miscClose(t, "silu output", y[0], []int64{1, 1, 3}, []float64{silu(10), silu(2), silu(4)})
	// A sequence shorter than k-1 keeps part of the past state.
	w3 := ir.FromSlice([]float32{1, 0, 0}, 1, 1, 3)
	y = grpRun(t, "", "CausalConvWithState", 27, ir.Attrs{}, 2, ir.FromSlice([]float32{5}, 1, 1, 1), w3, nil, ir.FromSlice([]float32{7, 8}, 1, 1, 2))
	miscClose(t, "short output", y[0], []int64{1, 1, 1}, []float64{7})
	miscClose(t, "short state", y[1], []int64{1, 1, 2}, []float64{8, 5})
}

func TestLinearAttention(t *testing.T) {
	q := ir.FromSlice([]float32{1, 1}, 1, 2, 1)
	k := ir.FromSlice([]float32{1, 2}, 1, 2, 1)
	v := ir.FromSlice([]float32{3, 4}, 1, 2, 1)
	heads := map[string]any{"q_num_heads": int64(1), "kv_num_heads": int64(1), "scale": float32(1)}
	with := func(rule string) ir.Attrs {
		m := map[string]any{"update_rule": rule}
		for k, v := range heads {
			m[k] = v
		}
		return rndAttrs(m)
	}
	// linear: S = 3, then 3 + 2·4 = 11.
	y := grpRun(t, "", "LinearAttention", 27, with("linear"), 2, q, k, v)
	miscClose(t, "linear", y[0], []int64{1, 2, 1}, []float64{3, 11})
	miscClose(t, "linear state", y[1], []int64{1, 1, 1, 1}, []float64{11})
	// delta, β = 1: S = 3; then u = 4 - 3·2 = -2, S = 3 + 2·(-2) = -1.
	beta := ir.FromSlice([]float32{1, 1}, 1, 2, 1)
	y = grpRun(t, "", "LinearAttention", 27, with("delta"), 2, q, k, v, nil, nil, beta)
	miscClose(t, "delta", y[0], []int64{1, 2, 1}, []float64{3, -1})
	// gated with g = log 0.5 and past state 2: S = 1 + 3 = 4, then 2 + 8 = 10.
	g := ir.FromSlice([]float32{float32(math.Log(0.5)), float32(math.Log(0.5))}, 1, 2, 1)
	y = grpRun(t, "", "LinearAttention", 27, with("gated"), 2, q, k, v, ir.FromSlice([]float32{2}, 1, 1, 1, 1), g)
	miscClose(t, "gated", y[0], []int64{1, 2, 1}, []float64{4, 10})
	if _, err := grpTry("", "LinearAttention", 27, with("gated"), 2, q, k, v); err == nil {
		t.Error("gated without decay was accepted")
	}
}

func TestFlexAttention(t *testing.T) {
	// Equal keys give uniform probabilities: Y is the mean of V's rows.
	q := ir.FromSlice([]float32{1, 2}, 1, 1, 1, 2)
	k := ir.FromSlice([]float32{1, 1, 1, 1, 1, 1}, 1, 1, 3, 2)
	v := ir.FromSlice([]float32{1, 10, 2, 20, 6, 60}, 1, 1, 3, 2)
	y := grpRun(t, "ai.onnx.preview", "FlexAttention", 1, ir.Attrs{}, 1, q, k, v)
	miscClose(t, "uniform", y[0], []int64{1, 1, 1, 2}, []float64{3, 30})
	// Scale 0 also gives uniform weights, whatever the keys.
	k2 := ir.FromSlice([]float32{1, 0, 0, 5, 3, 3}, 1, 1, 3, 2)
	y = grpRun(t, "ai.onnx.preview", "FlexAttention", 1, rndAttrs(map[string]any{"scale": float32(0)}), 1, q, k2, v)
	miscClose(t, "scale 0", y[0], []int64{1, 1, 1, 2}, []float64{3, 30})
}
