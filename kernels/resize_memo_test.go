package kernels

import (
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestResizeMemoFollowsInputs runs one Resize kernel over a sequence of
// inputs whose shape, scales or sizes change between runs (and change
// back), and checks every result against a freshly built kernel: the
// remembered taps are reused only for equal inputs.
func TestResizeMemoFollowsInputs(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	attrs := nntAttrs("mode", "linear", "coordinate_transformation_mode", "half_pixel")
	for k, a := range attrs {
		a.Name = k
	}
	n := &ir.Node{Name: "r", Op: "Resize", Opset: 13, Attrs: attrs, Outputs: []*ir.Value{{Name: "y"}}}
	n.Inputs = []*ir.Value{{Name: "x", Type: ir.TensorType(ir.Float32, 1, 2, -1, -1)}, nil,
		{Name: "scales", Type: ir.TensorType(ir.Float32, 4)}, {Name: "sizes", Type: ir.TensorType(ir.Int64, 4)}}
	f, err := BuildNode(&Build{Node: n, InTypes: []*ir.Type{&n.Inputs[0].Type, nil, &n.Inputs[2].Type, &n.Inputs[3].Type}})
	if err != nil {
		t.Fatal(err)
	}
	x45, x33 := nntRand(rng, 1, 2, 4, 5), nntRand(rng, 1, 2, 3, 3)
	s2 := ir.FromSlice([]float32{1, 1, 2, 2}, 4)
	s3 := ir.FromSlice([]float32{1, 1, 3, 1.5}, 4)
	none := ir.FromSlice([]int64{}, 0)
	empty := ir.FromSlice([]float32{}, 0)
	sz := ir.FromSlice([]int64{1, 2, 7, 4}, 4)
	runs := []struct {
		x, scales, sizes *ir.Tensor
	}{
		{x45, s2, none}, {x45, s2, none}, {x45, s3, none}, {x33, s3, none}, {x45, s2, none},
		{x45, empty, sz}, {x33, empty, sz}, {x45, s2, none},
	}
	for i, r := range runs {
		c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
		if err := f(c, []*ir.Tensor{r.x, nil, r.scales, r.sizes}); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		want, err := nntRun("Resize", 13, nntAttrs("mode", "linear", "coordinate_transformation_mode", "half_pixel"), 1, r.x, nil, r.scales, r.sizes)
		if err != nil {
			t.Fatalf("run %d (fresh): %v", i, err)
		}
		if !sameShape(c.Outs[0].Shape, want[0].Shape) {
			t.Fatalf("run %d: shape %v, fresh kernel %v", i, c.Outs[0].Shape, want[0].Shape)
		}
		nntClose(t, "resize memo", c.Outs[0].F32(), want[0].F32(), 0)
	}
}
