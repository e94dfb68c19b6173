package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestNonMaxSuppression(t *testing.T) {
	// Boxes 0 and 1 overlap with IoU 0.81 (box 1 lies inside box 0); box 2
	// is apart.
	boxes := ir.FromSlice([]float32{0, 0, 1, 1, 0.1, 0.1, 1, 1, 5, 5, 6, 6}, 1, 3, 4)
	scores := ir.FromSlice([]float32{0.9, 0.95, 0.1}, 1, 1, 3)
	out, err := advRun("NonMaxSuppression", 11, nil, 1, false, boxes, scores,
		ir.FromSlice([]int64{10}, 1), ir.FromSlice([]float32{0.5}, 1), ir.FromSlice([]float32{0.2}, 1))
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "nms", out[0], []int64{1, 3}, []float64{0, 0, 1}, 0)
	out, err = advRun("NonMaxSuppression", 11, nil, 1, false, boxes, scores,
		ir.FromSlice([]int64{10}, 1), ir.FromSlice([]float32{0.9}, 1))
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "nms loose", out[0], []int64{3, 3}, []float64{0, 0, 1, 0, 0, 0, 0, 0, 2}, 0)
}
