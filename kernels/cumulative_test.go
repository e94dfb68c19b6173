package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestCumulative(t *testing.T) {
	v := ir.FromSlice([]float32{1, 2, 3})
	ax0 := ir.Scalar(int32(0))
	m := ir.FromSlice([]int64{1, 2, 3, 4, 5, 6}, 2, 3)
	cases := []struct {
		name  string
		op    string
		attrs ir.Attrs
		in    []*ir.Tensor
		want  []float64
	}{
		{"sum", "CumSum", nil, []*ir.Tensor{v, ax0}, []float64{1, 3, 6}},
		{"sum exclusive", "CumSum", rnAttrs("exclusive", 1), []*ir.Tensor{v, ax0}, []float64{0, 1, 3}},
		{"sum reverse", "CumSum", rnAttrs("reverse", 1), []*ir.Tensor{v, ax0}, []float64{6, 5, 3}},
		{"sum reverse exclusive", "CumSum", rnAttrs("reverse", 1, "exclusive", 1), []*ir.Tensor{v, ax0}, []float64{5, 3, 0}},
		{"sum 2d axis 0", "CumSum", nil, []*ir.Tensor{m, ir.FromSlice([]int64{0})}, []float64{1, 2, 3, 5, 7, 9}},
		{"sum 2d axis -1", "CumSum", nil, []*ir.Tensor{m, ir.Scalar(int64(-1))}, []float64{1, 3, 6, 4, 9, 15}},
		{"prod", "CumProd", nil, []*ir.Tensor{v, ax0}, []float64{1, 2, 6}},
		{"prod exclusive", "CumProd", rnAttrs("exclusive", 1), []*ir.Tensor{v, ax0}, []float64{1, 1, 2}},
		{"prod reverse exclusive", "CumProd", rnAttrs("reverse", 1, "exclusive", 1), []*ir.Tensor{v, ax0}, []float64{6, 3, 1}},
		{"prod 2d axis 1", "CumProd", nil, []*ir.Tensor{m, ir.Scalar(int64(1))}, []float64{1, 2, 6, 4, 20, 120}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			y := rnRun(t, tc.op, 26, tc.attrs, 1, tc.in...)[0]
			rnExpect(t, tc.name, y, tc.in[0].Shape, tc.want, 1e-6)
		})
	}
	if _, err := rnTry("CumSum", 14, nil, 1, v, ir.Scalar(int64(1))); err == nil {
		t.Fatalf("axis out of range: expected an error")
	}
}
