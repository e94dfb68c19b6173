package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestDet(t *testing.T) {
	cases := []struct {
		name  string
		x     *ir.Tensor
		shape []int64
		want  []float64
	}{
		{"2x2", ir.FromSlice([]float32{1, 2, 3, 4}, 2, 2), []int64{}, []float64{-2}},
		{"pivot", ir.FromSlice([]float64{0, 1, 0, 1, 0, 0, 0, 0, 1}, 3, 3), []int64{}, []float64{-1}},
		{"singular", ir.FromSlice([]float32{1, 2, 2, 4}, 2, 2), []int64{}, []float64{0}},
		{"batch", ir.FromSlice([]float32{1, 2, 3, 4, 2, 0, 0, 3, 1, 0, 0, 1}, 3, 2, 2), []int64{3}, []float64{-2, 6, 1}},
		{"3x3", ir.FromSlice([]float64{2, -3, 1, 2, 0, -1, 1, 4, 5}, 3, 3), []int64{}, []float64{49}},
		{"0x0", ir.NewTensor(ir.Float32, []int64{2, 0, 0}), []int64{2}, []float64{1, 1}},
	}
	for _, tc := range cases {
		y := rnRun(t, "Det", 22, nil, 1, tc.x)[0]
		rnExpect(t, tc.name, y, tc.shape, tc.want, 1e-6)
	}
	if _, err := rnTry("Det", 22, nil, 1, ir.FromSlice(rnIota(6), 2, 3)); err == nil {
		t.Fatalf("non-square: expected an error")
	}
}
