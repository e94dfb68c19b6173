package kernels

import (
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// BenchmarkDynamicQuantizeLinear quantizes a 1×64×256×256 activation
// (4M values, a layer of the quantized ISNet) on one thread at the best
// ISA level.
func BenchmarkDynamicQuantizeLinear(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]float32, 64*256*256)
	for i := range xs {
		xs[i] = float32(r.NormFloat64())
	}
	x := ir.FromSlice(xs, 1, 64, 256, 256)
	n := &ir.Node{Name: "dql", Op: "DynamicQuantizeLinear", Opset: 11, Attrs: ir.Attrs{}}
	v := &ir.Value{Name: "x", Type: ir.TypeOfTensor(x)}
	n.Inputs = []*ir.Value{v}
	n.Outputs = []*ir.Value{{Name: "y"}, {Name: "s"}, {Name: "z"}}
	if err := ir.InferNode(n); err != nil {
		b.Fatal(err)
	}
	f, err := BuildNode(&Build{Node: n, InTypes: []*ir.Type{&v.Type}, Level: isa.Best()})
	if err != nil {
		b.Fatal(err)
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 3), Pool: Serial{}, Node: n}
	in := []*ir.Tensor{x}
	b.SetBytes(int64(len(xs) * 5))
	b.ResetTimer()
	for range b.N {
		if err := f(c, in); err != nil {
			b.Fatal(err)
		}
	}
}
