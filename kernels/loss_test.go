package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestNLLLossSpecExamples(t *testing.T) {
	// The three examples of the operator's documentation.
	x := ir.FromSlice([]float32{1, 2, 2, 2, 3, 2, 0, 1, 2, 2, 1, 2}, 2, 3, 2)
	target := ir.FromSlice([]int64{2, 1, 0, 2}, 2, 2)
	w := ir.FromSlice([]float32{0.2, 0.3, 0.1})
	none := rnRun(t, "NegativeLogLikelihoodLoss", 22, rnAttrs("reduction", "none"), 1, x, target)[0]
	rnExpect(t, "none", none, []int64{2, 2}, []float64{-3, -2, 0, -2}, 1e-6)
	sum := rnRun(t, "NegativeLogLikelihoodLoss", 13, rnAttrs("reduction", "sum"), 1, x, target, w)[0]
	rnExpect(t, "sum", sum, []int64{}, []float64{-1.1}, 1e-6)
	mean := rnRun(t, "NegativeLogLikelihoodLoss", 12, nil, 1, x, target, w)[0]
	rnExpect(t, "mean", mean, []int64{}, []float64{-1.1 / 0.7}, 1e-6) // the docs print -1.57
	// ignore_index drops the sample from the loss and from the mean's count.
	ii := rnRun(t, "NegativeLogLikelihoodLoss", 22, rnAttrs("ignore_index", 2), 1, x, target)[0]
	rnExpect(t, "mean ignore", ii, []int64{}, []float64{(-2 - 0) / 2.0}, 1e-6)
	bad := ir.FromSlice([]int64{3, 1, 0, 2}, 2, 2)
	if _, err := rnTry("NegativeLogLikelihoodLoss", 22, nil, 1, x, bad); err == nil {
		t.Fatalf("target 3 of 3 classes: expected an error")
	}
}

func TestSCELoss(t *testing.T) {
	x := ir.FromSlice([]float64{0, 0, math.Log(3), 0}, 2, 2)
	labels := ir.FromSlice([]int32{0, 0})
	out := rnRun(t, "SoftmaxCrossEntropyLoss", 13, rnAttrs("reduction", "none"), 2, x, labels)
	rnExpect(t, "loss", out[0], []int64{2}, []float64{math.Log(2), -math.Log(0.75)}, 1e-12)
	rnExpect(t, "log_prob", out[1], []int64{2, 2}, []float64{math.Log(0.5), math.Log(0.5), math.Log(0.75), math.Log(0.25)}, 1e-12)
	m := rnRun(t, "SoftmaxCrossEntropyLoss", 12, nil, 1, x, labels)[0]
	rnExpect(t, "mean", m, []int64{}, []float64{(math.Log(2) - math.Log(0.75)) / 2}, 1e-12)
}
