package kernels

import (
	"math/rand"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
)

// TestHotPathAllocations checks that the float32 Conv, Gemm, MatMul and
// MaxPool kernels allocate nothing per call once their output
// buffers are planned and their scratch is warm.
func TestHotPathAllocations(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	cases := []struct {
		name  string
		op    string
		attrs ir.Attrs
		in    []*ir.Tensor
		out   []int64
		limit float64
	}{
		{"conv", "Conv", nntAttrs("pads", []int64{1, 1, 1, 1}), []*ir.Tensor{nntRand(rng, 2, 8, 12, 12), nntRand(rng, 16, 8, 3, 3), nntRand(rng, 16)}, []int64{2, 16, 12, 12}, 0},
		{"conv groups", "Conv", nntAttrs("group", 8), []*ir.Tensor{nntRand(rng, 1, 8, 12, 12), nntRand(rng, 8, 1, 3, 3)}, []int64{1, 8, 10, 10}, 0},
		{"gemm", "Gemm", nntAttrs("transB", 1), []*ir.Tensor{nntRand(rng, 64, 48), nntRand(rng, 40, 48), nntRand(rng, 40)}, []int64{64, 40}, 0},
		{"matmul", "MatMul", nil, []*ir.Tensor{nntRand(rng, 3, 40, 48), nntRand(rng, 48, 40)}, []int64{3, 40, 40}, 0},
		{"maxpool", "MaxPool", nntAttrs("kernel_shape", []int64{2, 2}, "strides", []int64{2, 2}), []*ir.Tensor{nntRand(rng, 2, 8, 12, 12)}, []int64{2, 8, 6, 6}, 0},
	}
	for _, tc := range cases {
		n := &ir.Node{Name: tc.name, Op: tc.op, Opset: 22, Attrs: tc.attrs}
		if n.Attrs == nil {
			n.Attrs = ir.Attrs{}
		}
		f, err := BuildNode(&Build{Node: n})
		if err != nil {
			t.Fatal(err)
		}
		c := &Ctx{Outs: make([]*ir.Tensor, 1), Planned: []*ir.Tensor{ir.NewTensor(ir.Float32, tc.out)}, Pool: Serial{}}
		run := func() {
			if err := f(c, tc.in); err != nil {
				t.Fatal(err)
			}
		}
		run()
		if got := allocstest.PerRun(20, run); got > tc.limit {
			t.Errorf("%s: %v allocations per call, want <= %v", tc.name, got, tc.limit)
		}
	}
}
