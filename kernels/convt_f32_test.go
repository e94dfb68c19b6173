package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestConvTransposeF32 compares the float32 1-D/2-D path (both GEMM
// orientations and the sub-pixel form, constant or computed W, serial and
// threaded, every level)
// with the float64 N-D path, into a NaN-filled planned output and twice
// per kernel (the second Run reuses stale scratch).
func TestConvTransposeF32(t *testing.T) {
	defer func(p int) { convParMACs = p }(convParMACs)
	rng := rand.New(rand.NewSource(41))
	cases := []struct {
		name  string
		attrs ir.Attrs
		x, w  []int64
	}{
		{"1d stride2", nntAttrs("strides", []int64{2}), []int64{2, 3, 7}, []int64{3, 4, 3}},
		{"1d pad dil", nntAttrs("strides", []int64{3}, "pads", []int64{1, 2}, "dilations", []int64{2}), []int64{1, 5, 9}, []int64{5, 2, 4}},
		{"1x1 input", nil, []int64{3, 20, 1, 1}, []int64{20, 40, 4, 4}},
		{"dcgan up", nntAttrs("strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1}), []int64{2, 40, 4, 4}, []int64{40, 24, 4, 4}},
		{"outpad", nntAttrs("strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1}, "output_padding", []int64{1, 1}), []int64{2, 7, 8, 8}, []int64{7, 5, 3, 3}},
		{"large col", nntAttrs("strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1}), []int64{1, 6, 19, 23}, []int64{6, 3, 4, 4}},
		{"stride1 pad", nntAttrs("pads", []int64{2, 1, 0, 1}), []int64{2, 4, 13, 9}, []int64{4, 6, 3, 5}},
		{"strides dil", nntAttrs("strides", []int64{3, 2}, "dilations", []int64{2, 3}, "pads", []int64{1, 0, 2, 1}), []int64{1, 3, 6, 7}, []int64{3, 2, 3, 2}},
		{"group", nntAttrs("group", 2, "strides", []int64{2, 1}), []int64{3, 4, 5, 6}, []int64{4, 3, 3, 3}},
		{"depthwise group", nntAttrs("group", 6, "strides", []int64{2, 2}), []int64{1, 6, 9, 9}, []int64{6, 1, 3, 3}},
		{"output_shape larger", nntAttrs("strides", []int64{3, 2}, "output_shape", []int64{12, 9}), []int64{1, 2, 3, 3}, []int64{2, 2, 3, 3}},
		{"same_upper", nntAttrs("strides", []int64{2, 2}, "auto_pad", "SAME_UPPER"), []int64{2, 3, 5, 5}, []int64{3, 2, 3, 3}},
		{"3d fallback", nntAttrs("strides", []int64{2, 1, 2}), []int64{1, 2, 3, 4, 3}, []int64{2, 3, 2, 3, 2}},
		{"empty input", nil, []int64{1, 2, 0, 4}, []int64{2, 3, 3, 3}},
		{"kernel < stride", nntAttrs("strides", []int64{3, 2}), []int64{2, 3, 4, 5}, []int64{3, 4, 2, 1}},
		{"1x1 input pads", nntAttrs("strides", []int64{2, 2}, "pads", []int64{1, 0, 2, 1}), []int64{4, 5, 1, 1}, []int64{5, 6, 4, 4}},
		{"1x1 input group", nntAttrs("group", 2, "output_padding", []int64{1, 1}, "strides", []int64{2, 2}), []int64{2, 4, 1, 1}, []int64{4, 3, 3, 2}},
		{"dil stride2", nntAttrs("strides", []int64{2, 2}, "dilations", []int64{2, 3}, "pads", []int64{2, 1, 0, 3}), []int64{2, 3, 5, 6}, []int64{3, 4, 3, 3}},
		{"kernel == stride", nntAttrs("strides", []int64{2, 2}), []int64{2, 8, 5, 7}, []int64{8, 4, 2, 2}},
		{"same_lower odd", nntAttrs("strides", []int64{3, 3}, "auto_pad", "SAME_LOWER"), []int64{1, 3, 4, 5}, []int64{3, 2, 4, 5}},
		{"output_shape smaller", nntAttrs("strides", []int64{2, 2}, "output_shape", []int64{7, 8}), []int64{1, 3, 4, 4}, []int64{3, 2, 3, 3}},
		{"1d wide", nntAttrs("strides", []int64{4}, "pads", []int64{3, 1}, "output_padding", []int64{2}), []int64{2, 5, 33}, []int64{5, 9, 8}},
	}
	for _, tc := range cases {
		x, w := nntRand(rng, tc.x...), nntRand(rng, tc.w...)
		group := int64(1)
		if a, ok := tc.attrs["group"]; ok {
			group = a.I
		}
		b := nntRand(rng, tc.w[1]*group)
		for _, withBias := range []bool{false, true} {
			in := []*ir.Tensor{x, w}
			if withBias {
				in = append(in, b)
			}
			want, err := convTRun(tc.attrs, convTToF64(in), false, Serial{}, isa.Generic)
			if err != nil {
				t.Fatalf("%s: reference: %v", tc.name, err)
			}
			for _, par := range []int{1 << 40, 0} {
				convParMACs = par
				for _, cst := range []bool{false, true} {
					for _, pool := range []Pool{Serial{}, testPool{3}, testPool{64}} {
						for _, l := range []isa.Level{isa.Generic, isa.Current()} {
							for _, force := range []int{-1, 0, 1, 2} {
								if force >= 0 && !cst {
									continue
								}
								convTForce = force
								name := fmt.Sprintf("%s bias %v par %v const %v threads %d level %v force %d", tc.name, withBias, par == 0, cst, pool.Threads(), l, force)
								got, err := convTRun(tc.attrs, in, cst, pool, l)
								convTForce = -1
								if err != nil {
									t.Fatalf("%s: %v", name, err)
								}
								if !sameShape(got.Shape, want.Shape) {
									t.Fatalf("%s: shape %v, want %v", name, got.Shape, want.Shape)
								}
								w32 := make([]float32, len(ir.Data[float64](want)))
								for i, v := range ir.Data[float64](want) {
									w32[i] = float32(v)
								}
								for i, v := range got.F32() {
									if math.IsNaN(float64(v)) {
										t.Fatalf("%s: element %d is NaN", name, i)
									}
								}
								nntClose(t, name, got.F32(), w32, 2e-5)
							}
						}
					}
				}
			}
		}
	}
}

func convTToF64(in []*ir.Tensor) []*ir.Tensor {
	out := make([]*ir.Tensor, len(in))
	for i, t := range in {
		d := make([]float64, len(t.F32()))
		for j, v := range t.F32() {
			d[j] = float64(v)
		}
		out[i] = ir.FromSlice(d, t.Shape...)
	}
	return out
}

// convTRun builds one ConvTranspose node (W constant when cst) for level
// and runs it twice into a NaN-filled planned output.
func convTRun(attrs ir.Attrs, in []*ir.Tensor, cst bool, pool Pool, level isa.Level) (*ir.Tensor, error) {
	n := &ir.Node{Name: "n", Op: "ConvTranspose", Opset: 22, Attrs: withNames(attrs)}
	if n.Attrs == nil {
		n.Attrs = ir.Attrs{}
	}
	var types []*ir.Type
	for i, t := range in {
		v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(t)}
		if i == 1 && cst {
			v.Const = t
		}
		n.Inputs = append(n.Inputs, v)
		types = append(types, &v.Type)
	}
	n.Outputs = []*ir.Value{{Name: "y"}}
	if err := ir.InferNode(n); err != nil {
		return nil, err
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types, Level: level})
	if err != nil {
		return nil, err
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: pool, Node: n}
	if in[0].DType == ir.Float32 && n.Outputs[0].Type.RankKnown {
		shape := make([]int64, len(n.Outputs[0].Type.Shape))
		for i, d := range n.Outputs[0].Type.Shape {
			shape[i] = d.Size
		}
		p := ir.NewTensor(ir.Float32, shape)
		for i := range p.F32() {
			p.F32()[i] = float32(math.NaN())
		}
		c.Planned = []*ir.Tensor{p}
	}
	for range 2 {
		if err := f(c, in); err != nil {
			return nil, err
		}
	}
	return c.Outs[0], nil
}
