package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestGridSample(t *testing.T) {
	x := ir.FromSlice([]float32{1, 2, 3, 4}, 1, 1, 2, 2)
	// Grid points (x, y): the four corners with align_corners=1, then one
	// point far outside.
	grid := ir.FromSlice([]float32{-1, -1, 1, -1, -1, 1, 1, 1, 0, 0, 3, 3}, 1, 3, 2, 2)
	cases := []struct {
		name  string
		opset int64
		attrs ir.Attrs
		want  []float64
	}{
		{"bilinear zeros", 16, advAttrs("align_corners", 1), []float64{1, 2, 3, 4, 2.5, 0}},
		{"linear border", 20, advAttrs("align_corners", 1, "padding_mode", "border"), []float64{1, 2, 3, 4, 2.5, 4}},
		{"nearest", 20, advAttrs("align_corners", 1, "mode", "nearest", "padding_mode", "border"), []float64{1, 2, 3, 4, 1, 4}},
		{"bicubic at corners", 16, advAttrs("align_corners", 1, "mode", "bicubic", "padding_mode", "border"), []float64{1, 2, 3, 4}},
	}
	for _, tc := range cases {
		out, err := advRun("GridSample", tc.opset, tc.attrs, 1, false, x, grid)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		advClose(t, tc.name, out[0], []int64{1, 1, 3, 2}, tc.want, 1e-6)
	}
	if _, err := advRun("GridSample", 16, advAttrs("mode", "linear"), 1, false, x, grid); err == nil {
		t.Fatal("opset 16 names the mode bilinear; linear should fail")
	}
}

func TestAffineGrid(t *testing.T) {
	theta := ir.FromSlice([]float32{1, 0, 0, 0, 1, 0}, 1, 2, 3)
	size := ir.FromSlice([]int64{1, 1, 2, 2})
	out, err := advRun("AffineGrid", 20, advAttrs("align_corners", 1), 1, true, theta, size)
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "identity", out[0], []int64{1, 2, 2, 2}, []float64{-1, -1, 1, -1, -1, 1, 1, 1}, 1e-7)
	out, err = advRun("AffineGrid", 20, nil, 1, false, theta, size)
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "pixel centers", out[0], []int64{1, 2, 2, 2}, []float64{-.5, -.5, .5, -.5, -.5, .5, .5, .5}, 1e-7)
}
