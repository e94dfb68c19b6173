package kernels

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// inlinePool is a Pool of n threads that runs the chunks one after another
// on the caller, so that a test can count a kernel's own allocations on
// its parallel paths.
type inlinePool struct{ n int }

func (p inlinePool) Threads() int { return p.n }

func (p inlinePool) For(n, grain int, fn func(lo, hi int)) {
	chunk := max((n+p.n-1)/p.n, grain, 1)
	for lo := 0; lo < n; lo += chunk {
		fn(lo, min(lo+chunk, n))
	}
}

// TestConvTransposeParallelAllocs: every threaded path of the float32
// ConvTranspose (a 1×1 input's images per task, pairs per task, one pair
// at a time with its col2im split: shift-add, gather, scatter) allocates
// nothing per call once warm.
func TestConvTransposeParallelAllocs(t *testing.T) {
	defer func(p int) { convParMACs = p }(convParMACs)
	convParMACs = 0
	rng := rand.New(rand.NewSource(9))
	up := nntAttrs("strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1})
	cases := []struct {
		name  string
		attrs ir.Attrs
		x, w  []int64
		cst   bool
		force int
	}{
		{"1x1 images", nil, []int64{4, 20, 1, 1}, []int64{20, 16, 4, 4}, true, 1},
		{"pairs", up, []int64{4, 8, 6, 6}, []int64{8, 4, 4, 4}, true, 1},
		{"one pair shift", up, []int64{1, 8, 12, 12}, []int64{8, 4, 4, 4}, true, 0},
		{"one pair gather", up, []int64{1, 8, 12, 12}, []int64{8, 4, 4, 4}, true, 1},
		{"one pair scatter", up, []int64{1, 8, 12, 12}, []int64{8, 4, 4, 4}, false, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer func() { convTForce = -1 }()
			convTForce = tc.force
			in := []*ir.Tensor{nntRand(rng, tc.x...), nntRand(rng, tc.w...), nntRand(rng, tc.w[1])}
			n := &ir.Node{Name: "n", Op: "ConvTranspose", Opset: 22, Attrs: withNames(tc.attrs)}
			if n.Attrs == nil {
				n.Attrs = ir.Attrs{}
			}
			var types []*ir.Type
			for i, x := range in {
				v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(x)}
				if i == 1 && tc.cst {
					v.Const = x
				}
				n.Inputs = append(n.Inputs, v)
				types = append(types, &v.Type)
			}
			n.Outputs = []*ir.Value{{Name: "y"}}
			if err := ir.InferNode(n); err != nil {
				t.Fatal(err)
			}
			shape := make([]int64, len(n.Outputs[0].Type.Shape))
			for i, d := range n.Outputs[0].Type.Shape {
				shape[i] = d.Size
			}
			f, err := BuildNode(&Build{Node: n, InTypes: types, Level: isa.Current()})
			if err != nil {
				t.Fatal(err)
			}
			c := &Ctx{Outs: make([]*ir.Tensor, 1), Planned: []*ir.Tensor{ir.NewTensor(ir.Float32, shape)}, Pool: inlinePool{2}, Node: n}
			run := func() {
				if err := f(c, in); err != nil {
					t.Fatal(err)
				}
			}
			run()
			if got := allocstest.PerRun(20, run); got > 0 {
				t.Errorf("%v allocations per call, want 0", got)
			}
		})
	}
}
