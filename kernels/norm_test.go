package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestLayerNorm(t *testing.T) {
	x := ir.FromSlice([]float32{1, 2, 3, 2, 2, 2}, 2, 3)
	scale := ir.FromSlice([]float32{1, 1, 2})
	bias := ir.FromSlice([]float32{0, 1, 0})
	out := rnRun(t, "LayerNormalization", 17, nil, 3, x, scale, bias)
	is := 1 / math.Sqrt(2.0/3+1e-5)
	is0 := 1 / math.Sqrt(1e-5)
	rnExpect(t, "Y", out[0], []int64{2, 3}, []float64{-is, 1, 2 * is, 0, 1, 0}, 1e-5)
	rnExpect(t, "Mean", out[1], []int64{2, 1}, []float64{2, 2}, 1e-6)
	rnExpect(t, "InvStdDev", out[2], []int64{2, 1}, []float64{is, is0}, 1e-5)
	if out[1].DType != ir.Float32 {
		t.Fatalf("Mean dtype %v", out[1].DType)
	}
	// axis 0 normalises the whole tensor; Scale broadcasts from [3].
	y := rnRun(t, "LayerNormalization", 17, rnAttrs("axis", 0, "epsilon", 0.0), 1, ir.FromSlice([]float64{1, 3, 1, 3}, 2, 2), ir.FromSlice([]float64{1, 2}))[0]
	rnExpect(t, "axis 0", y, []int64{2, 2}, []float64{-1, 2, -1, 2}, 1e-12)
	// Stats in double with stash_type 11.
	d := rnRun(t, "LayerNormalization", 17, rnAttrs("stash_type", 11), 2, x, scale)
	if d[1].DType != ir.Float64 {
		t.Fatalf("stash_type 11: Mean dtype %v", d[1].DType)
	}
}

func TestRMSNorm(t *testing.T) {
	x := ir.FromSlice([]float32{3, 4}, 1, 2)
	y := rnRun(t, "RMSNormalization", 23, rnAttrs("epsilon", 0.0), 1, x, ir.FromSlice([]float64{1, 2}))[0]
	r := math.Sqrt(12.5)
	if y.DType != ir.Float64 {
		t.Fatalf("Y dtype %v, want the scale's (double)", y.DType)
	}
	rnExpect(t, "rms", y, []int64{1, 2}, []float64{3 / r, 8 / r}, 1e-6)
}

func TestGroupAndInstanceNorm(t *testing.T) {
	// N=1, C=2, spatial 2: channel 0 = [1 3], channel 1 = [5 7].
	x := ir.FromSlice([]float32{1, 3, 5, 7}, 1, 2, 2)
	one := ir.FromSlice([]float32{1, 1})
	zero := ir.FromSlice([]float32{0, 0})
	in := rnRun(t, "InstanceNormalization", 6, rnAttrs("epsilon", 0.0), 1, x, one, zero)[0]
	rnExpect(t, "instance", in, []int64{1, 2, 2}, []float64{-1, 1, -1, 1}, 1e-6)
	// One group: mean 4, var 5.
	s := 1 / math.Sqrt(5)
	g21 := rnRun(t, "GroupNormalization", 21, rnAttrs("num_groups", 1, "epsilon", 0.0), 1, x, ir.FromSlice([]float32{1, 2}), ir.FromSlice([]float32{0, 1}))[0]
	rnExpect(t, "group 21", g21, []int64{1, 2, 2}, []float64{-3 * s, -s, 2*s + 1, 6*s + 1}, 1e-6)
	// Opset 18: scale and bias per group.
	g18 := rnRun(t, "GroupNormalization", 18, rnAttrs("num_groups", 1, "epsilon", 0.0), 1, x, ir.FromSlice([]float32{2}), ir.FromSlice([]float32{1}))[0]
	rnExpect(t, "group 18", g18, []int64{1, 2, 2}, []float64{-6*s + 1, -2*s + 1, 2*s + 1, 6*s + 1}, 1e-6)
	g2 := rnRun(t, "GroupNormalization", 21, rnAttrs("num_groups", 2, "epsilon", 0.0), 1, x, one, zero)[0]
	rnExpect(t, "group = instance", g2, []int64{1, 2, 2}, []float64{-1, 1, -1, 1}, 1e-6)
	if _, err := rnTry("GroupNormalization", 21, rnAttrs("num_groups", 3), 1, x, one, zero); err == nil {
		t.Fatalf("3 groups of 2 channels: expected an error")
	}
}

func TestBatchNorm(t *testing.T) {
	x := ir.FromSlice([]float32{1, 3, 5, 7, 3, 5, 9, 11}, 2, 2, 2) // N=2, C=2, S=2
	scale := ir.FromSlice([]float32{1, 2})
	bias := ir.FromSlice([]float32{0, 1})
	mean := ir.FromSlice([]float32{2, 8})
	vr := ir.FromSlice([]float32{4, 1})
	y := rnRun(t, "BatchNormalization", 15, rnAttrs("epsilon", 0.0), 1, x, scale, bias, mean, vr)[0]
	rnExpect(t, "inference", y, []int64{2, 2, 2}, []float64{-0.5, 0.5, -5, -1, 0.5, 1.5, 3, 7}, 1e-6)
	// Training: channel 0 values 1 3 3 5 (mean 3, var 2); channel 1: 5 7 9 11 (mean 8, var 5).
	out := rnRun(t, "BatchNormalization", 15, rnAttrs("epsilon", 0.0, "momentum", 0.5, "training_mode", 1), 3, x, scale, bias, mean, vr)
	s0, s1 := 1/math.Sqrt(2), 1/math.Sqrt(5)
	rnExpect(t, "train Y", out[0], []int64{2, 2, 2}, []float64{-2 * s0, 0, -6*s1 + 1, -2*s1 + 1, 0, 2 * s0, 2*s1 + 1, 6*s1 + 1}, 1e-6)
	rnExpect(t, "running mean", out[1], []int64{2}, []float64{2.5, 8}, 1e-6)
	rnExpect(t, "running var", out[2], []int64{2}, []float64{3, 3}, 1e-6)
	// Opset 9 training by output count: mean, var, saved_mean, saved_var.
	o9 := rnRun(t, "BatchNormalization", 9, rnAttrs("epsilon", 0.0, "momentum", 0.5), 5, x, scale, bias, mean, vr)
	rnExpect(t, "saved mean", o9[3], []int64{2}, []float64{3, 8}, 1e-6)
	rnExpect(t, "saved var", o9[4], []int64{2}, []float64{2, 5}, 1e-6)
	// Opset 6 with is_test: inference.
	o6 := rnRun(t, "BatchNormalization", 6, rnAttrs("epsilon", 0.0, "is_test", 1), 1, x, scale, bias, mean, vr)[0]
	rnExpect(t, "opset 6 is_test", o6, []int64{2, 2, 2}, []float64{-0.5, 0.5, -5, -1, 0.5, 1.5, 3, 7}, 1e-6)
}

func TestLRN(t *testing.T) {
	// size 3 over C=3, one pixel: windows {0,1}, {0,1,2}, {1,2}.
	x := ir.FromSlice([]float32{1, 2, 3}, 1, 3, 1, 1)
	y := rnRun(t, "LRN", 13, rnAttrs("size", 3, "alpha", 3.0, "beta", 1.0, "bias", 1.0), 1, x)[0]
	rnExpect(t, "lrn", y, []int64{1, 3, 1, 1}, []float64{1.0 / 6, 2.0 / 15, 3.0 / 14}, 1e-6)
	if _, err := rnTry("LRN", 13, nil, 1, x); err == nil {
		t.Fatalf("missing size: expected an error")
	}
}

func TestMVNAndLpNorm(t *testing.T) {
	x := ir.FromSlice([]float32{1, 3, 5, 9}, 1, 2, 1, 2)
	y := rnRun(t, "MeanVarianceNormalization", 13, nil, 1, x)[0]
	rnExpect(t, "mvn", y, []int64{1, 2, 1, 2}, []float64{-1, 1, -1, 1}, 1e-6)
	l2 := rnRun(t, "LpNormalization", 22, nil, 1, ir.FromSlice([]float32{3, 4, 0, 0}, 2, 2))[0]
	rnExpect(t, "l2", l2, []int64{2, 2}, []float64{0.6, 0.8, 0, 0}, 1e-6)
	l1 := rnRun(t, "LpNormalization", 1, rnAttrs("axis", 0, "p", 1), 1, ir.FromSlice([]float32{3, 4, 1, -4}, 2, 2))[0]
	rnExpect(t, "l1 axis 0", l1, []int64{2, 2}, []float64{0.75, 0.5, 0.25, -0.5}, 1e-6)
	if _, err := rnTry("LpNormalization", 22, rnAttrs("p", 3), 1, x); err == nil {
		t.Fatalf("p=3: expected an error")
	}
}

func BenchmarkLayerNormF32(b *testing.B) {
	x := ir.FromSlice(rnIota(64*256), 64, 256)
	s := ir.FromSlice(rnIota(256))
	n := &ir.Node{Name: "n", Op: "LayerNormalization", Opset: 17, Attrs: ir.Attrs{}}
	f, err := BuildNode(&Build{Node: n})
	if err != nil {
		b.Fatal(err)
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
	b.SetBytes(int64(x.Len() * 4))
	for i := 0; i < b.N; i++ {
		if err := f(c, []*ir.Tensor{x, s, s}); err != nil {
			b.Fatal(err)
		}
	}
}
