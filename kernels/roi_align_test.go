package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestRoiAlign(t *testing.T) {
	// A constant feature map pools to the constant in avg mode.
	x := ir.FromSlice([]float32{5, 5, 5, 5, 5, 5, 5, 5, 5}, 1, 1, 3, 3)
	rois := ir.FromSlice([]float32{0, 0, 2, 2}, 1, 4)
	out, err := advRun("RoiAlign", 16, advAttrs("output_height", 2, "output_width", 2, "sampling_ratio", 2), 1, false,
		x, rois, ir.FromSlice([]int64{0}, 1))
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "avg", out[0], []int64{1, 1, 2, 2}, []float64{5, 5, 5, 5}, 1e-6)
	if _, err := advRun("RoiAlign", 16, nil, 1, false, x, rois, ir.FromSlice([]int64{3}, 1)); err == nil {
		t.Fatal("batch index out of range should fail")
	}
}

func TestMaxRoiPool(t *testing.T) {
	// 4×4 ramp; ROI (x 0..3, y 0..1) pooled to 1×2: max of the left and
	// right halves of the top two rows.
	x := ir.FromSlice([]float32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, 1, 1, 4, 4)
	rois := ir.FromSlice([]float32{0, 0, 0, 3, 1}, 1, 5)
	out, err := advRun("MaxRoiPool", 22, advAttrs("pooled_shape", []int64{1, 2}), 1, false, x, rois)
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "maxroipool", out[0], []int64{1, 1, 1, 2}, []float64{5, 7}, 0)
}
