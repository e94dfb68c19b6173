package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestEinsum(t *testing.T) {
	a := ir.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3) // [[1 2 3] [4 5 6]]
	b := ir.FromSlice([]float32{1, 0, 0, 1, 1, 1}, 3, 2) // [[1 0] [0 1] [1 1]]
	sq := ir.FromSlice([]float32{1, 2, 3, 4}, 2, 2)      // [[1 2] [3 4]]
	ai := ir.FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3)  // int version of a
	bt := ir.FromSlice([]float32{1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2)
	cases := []struct {
		eq    string
		in    []*ir.Tensor
		shape []int64
		want  []float64
	}{
		{"ij,jk->ik", []*ir.Tensor{a, b}, []int64{2, 2}, []float64{4, 5, 10, 11}},
		{"ij,jk", []*ir.Tensor{a, b}, []int64{2, 2}, []float64{4, 5, 10, 11}},
		{"ij->ji", []*ir.Tensor{a}, []int64{3, 2}, []float64{1, 4, 2, 5, 3, 6}},
		{"ji", []*ir.Tensor{a}, []int64{3, 2}, []float64{1, 4, 2, 5, 3, 6}},
		{"ij->", []*ir.Tensor{a}, []int64{}, []float64{21}},
		{"ij->j", []*ir.Tensor{ai}, []int64{3}, []float64{5, 7, 9}},
		{"ii", []*ir.Tensor{sq}, []int64{}, []float64{5}},
		{"ii->i", []*ir.Tensor{sq}, []int64{2}, []float64{1, 4}},
		{"i,j->ij", []*ir.Tensor{ir.FromSlice([]float32{1, 2}), ir.FromSlice([]float32{3, 4, 5})}, []int64{2, 3}, []float64{3, 4, 5, 6, 8, 10}},
		{"i,i", []*ir.Tensor{ir.FromSlice([]float32{1, 2}), ir.FromSlice([]float32{3, 4})}, []int64{}, []float64{11}},
		{"...ij->...ji", []*ir.Tensor{bt}, []int64{2, 2, 2}, []float64{1, 3, 2, 4, 5, 7, 6, 8}},
		{"bij,bjk->bik", []*ir.Tensor{bt, bt}, []int64{2, 2, 2}, []float64{7, 10, 15, 22, 67, 78, 91, 106}},
		{"...ii->...i", []*ir.Tensor{bt}, []int64{2, 2}, []float64{1, 4, 5, 8}},
		{"...i,...i->...", []*ir.Tensor{a, ir.FromSlice([]float32{1, 1, 1})}, []int64{2}, []float64{6, 15}},
		{"ij,jk,kl->il", []*ir.Tensor{a, b, sq}, []int64{2, 2}, []float64{19, 28, 43, 64}},
		{"", []*ir.Tensor{ir.Scalar(float32(3))}, []int64{}, []float64{3}},
		{",->", []*ir.Tensor{ir.Scalar(float32(3)), ir.Scalar(float32(2))}, []int64{}, []float64{6}},
		{"i->", []*ir.Tensor{ir.NewTensor(ir.Float32, []int64{0})}, []int64{}, []float64{0}},
		{"BA", []*ir.Tensor{a}, []int64{3, 2}, []float64{1, 4, 2, 5, 3, 6}},
		{"Ab", []*ir.Tensor{a}, []int64{2, 3}, []float64{1, 2, 3, 4, 5, 6}},
	}
	for _, tc := range cases {
		t.Run(tc.eq, func(t *testing.T) {
			y := rnRun(t, "Einsum", 12, rnAttrs("equation", tc.eq), 1, tc.in...)[0]
			rnExpect(t, tc.eq, y, tc.shape, tc.want, 1e-6)
		})
	}
	for _, bad := range []string{"ij,jk->ik", "ijk->i", "ij->ii", "ij->k", "i.j"} {
		if _, err := rnTry("Einsum", 12, rnAttrs("equation", bad), 1, a); err == nil {
			t.Errorf("%q on one rank-2 operand: expected an error", bad)
		}
	}
	if _, err := rnTry("Einsum", 12, rnAttrs("equation", "ij,ij->ij"), 1, a, sq); err == nil {
		t.Errorf("mismatched sizes: expected an error")
	}
}
