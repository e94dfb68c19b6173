package kernels

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// convTBenchCases are the ConvTranspose shapes of a DCGAN generator at
// batch 3, the 1-D one of a mixed-rank model, a U-Net's 2×2 upsampling,
// a wide k4s2 layer and a stride-1 layer to three channels.
var convTBenchCases = []struct {
	name  string
	attrs ir.Attrs
	x, w  []int64
}{
	{"gen0 1x1 k4", nil, []int64{3, 20, 1, 1}, []int64{20, 40, 4, 4}},
	{"gen1 k4s2", nntAttrs("strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1}), []int64{3, 40, 4, 4}, []int64{40, 24, 4, 4}},
	{"gen2 k3s2op", nntAttrs("strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1}, "output_padding", []int64{1, 1}), []int64{3, 24, 8, 8}, []int64{24, 13, 3, 3}},
	{"gen3 k4s2", nntAttrs("strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1}), []int64{3, 13, 16, 16}, []int64{13, 3, 4, 4}},
	{"seq k4s2", nntAttrs("strides", []int64{2}, "pads", []int64{1, 1}), []int64{2, 18, 8}, []int64{18, 7, 4}},
	{"unet k2s2", nntAttrs("strides", []int64{2, 2}), []int64{1, 64, 32, 32}, []int64{64, 32, 2, 2}},
	{"wide k4s2", nntAttrs("strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1}), []int64{1, 128, 16, 16}, []int64{128, 64, 4, 4}},
	{"rgb k3s1", nntAttrs("pads", []int64{1, 1, 1, 1}), []int64{1, 16, 32, 32}, []int64{16, 3, 3, 3}},
}

// BenchmarkConvTranspose times the float32 ConvTranspose kernel (W
// constant, one thread, the build's level) on convTBenchCases.
func BenchmarkConvTranspose(b *testing.B) {
	rng := rand.New(rand.NewSource(5))
	for _, tc := range convTBenchCases {
		b.Run(tc.name, func(b *testing.B) {
			x, w := nntRand(rng, tc.x...), nntRand(rng, tc.w...)
			f, c := convTBuild(b, tc.attrs, []*ir.Tensor{x, w}, isa.Current())
			in := []*ir.Tensor{x, w}
			for b.Loop() {
				if err := f(c, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// convTBuild builds one ConvTranspose node with a constant W for level
// and returns it with a Ctx holding a planned output.
func convTBuild(tb testing.TB, attrs ir.Attrs, in []*ir.Tensor, level isa.Level) (Func, *Ctx) {
	n := &ir.Node{Name: "n", Op: "ConvTranspose", Opset: 22, Attrs: withNames(attrs)}
	if n.Attrs == nil {
		n.Attrs = ir.Attrs{}
	}
	var types []*ir.Type
	for i, t := range in {
		v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(t)}
		if i == 1 {
			v.Const = t
		}
		n.Inputs = append(n.Inputs, v)
		types = append(types, &v.Type)
	}
	n.Outputs = []*ir.Value{{Name: "y"}}
	if err := ir.InferNode(n); err != nil {
		tb.Fatal(err)
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types, Level: level})
	if err != nil {
		tb.Fatal(err)
	}
	shape := make([]int64, len(n.Outputs[0].Type.Shape))
	for i, d := range n.Outputs[0].Type.Shape {
		shape[i] = d.Size
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n, Planned: []*ir.Tensor{ir.NewTensor(ir.Float32, shape)}}
	return f, c
}
