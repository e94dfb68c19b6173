package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestOptimizers(t *testing.T) {
	R := ir.FromSlice([]float32{0.1}, []int64{}...)
	T0 := ir.FromSlice([]int64{0}, []int64{}...)
	T1 := ir.FromSlice([]int64{1}, []int64{}...)
	v := func(x ...float64) *ir.Tensor { return ir.FromSlice(x) }
	tests := []struct {
		name  string
		op    string
		attrs map[string]any
		in    []*ir.Tensor
		want  [][]float64
	}{
		// r = 0.1; G = 0.5; H = 0.25; X = 1 - 0.1·0.5/0.5.
		{"adagrad", "Adagrad", map[string]any{}, []*ir.Tensor{R, T0, v(1), v(0.5), v(0)}, [][]float64{{0.9}, {0.25}}},
		// decay: r = 0.1/(1+1·1) = 0.05; norm: G = 0.5·1 + 0 = 0.5.
		{"adagrad decay norm", "Adagrad", map[string]any{"decay_factor": float32(1), "norm_coefficient": float32(0.5)},
			[]*ir.Tensor{R, T1, v(1), v(0), v(0)}, [][]float64{{0.95}, {0.25}}},
		// V = 0.9 + 0.1·2 = 1.1; X = 1 - 0.1·1.1.
		{"momentum", "Momentum", map[string]any{"alpha": float32(0.9), "beta": float32(0.1), "mode": "standard", "norm_coefficient": float32(0)},
			[]*ir.Tensor{R, T1, v(1), v(2), v(1)}, [][]float64{{0.89}, {1.1}}},
		// T = 0: beta' = 1, V = 0.9 + 2 = 2.9.
		{"momentum first step", "Momentum", map[string]any{"alpha": float32(0.9), "beta": float32(0.1), "mode": "standard", "norm_coefficient": float32(0)},
			[]*ir.Tensor{R, T0, v(1), v(2), v(1)}, [][]float64{{0.71}, {2.9}}},
		// X = 1 - 0.1·(2 + 0.9·1.1).
		{"nesterov", "Momentum", map[string]any{"alpha": float32(0.9), "beta": float32(0.1), "mode": "nesterov", "norm_coefficient": float32(0)},
			[]*ir.Tensor{R, T1, v(1), v(2), v(1)}, [][]float64{{0.701}, {1.1}}},
		// V = 0.1, H = 0.001, R' = 0.1·sqrt(0.001)/0.1, X = 1 - R'·0.1/sqrt(0.001).
		{"adam", "Adam", map[string]any{}, []*ir.Tensor{R, T1, v(1, 2), v(1, 1), v(0, 0), v(0, 0)},
			[][]float64{{0.9, 1.9}, {0.1, 0.1}, {0.001, 0.001}}},
		{"adam post", "Adam", map[string]any{"norm_coefficient_post": float32(0.5)}, []*ir.Tensor{R, T1, v(1), v(1), v(0), v(0)},
			[][]float64{{0.45}, {0.1}, {0.001}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			outs := grpRun(t, ir.TrainingDomain, tc.op, 1, rndAttrs(tc.attrs), len(tc.want), tc.in...)
			for i, w := range tc.want {
				got := ir.Data[float64](outs[i])
				for j := range w {
					if math.Abs(got[j]-w[j]) > 1e-6 {
						t.Errorf("output %d: got %v, want %v", i, got, w)
					}
				}
			}
		})
	}
	// Two tensors at once: outputs are X1', X2', H1', H2'.
	outs := grpRun(t, ir.TrainingDomain, "Adagrad", 1, ir.Attrs{}, 4, R, T0, v(1), v(2), v(0.5), v(0.5), v(0), v(0))
	if got := ir.Data[float64](outs[1])[0]; math.Abs(got-1.9) > 1e-6 {
		t.Errorf("second tensor: got %v, want 1.9", got)
	}
	if _, err := grpTry(ir.TrainingDomain, "Adagrad", 1, ir.Attrs{}, 2, R, T0, v(1), v(2)); err == nil {
		t.Error("an incomplete input group was accepted")
	}
}
