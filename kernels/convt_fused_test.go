package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestFusedConvTranspose compares nncc.FusedConvTranspose with
// ConvTranspose followed by the activation in float64 (every path of the
// float32 kernel: both orientations, constant or computed W, serial and
// threaded col2im, the N-D path; each twice into a NaN-filled planned
// output).
func TestFusedConvTranspose(t *testing.T) {
	defer func(p int) { convParMACs = p }(convParMACs)
	rng := rand.New(rand.NewSource(43))
	cases := []struct {
		name  string
		attrs ir.Attrs
		x, w  []int64
	}{
		{"1x1 input", nil, []int64{3, 20, 1, 1}, []int64{20, 40, 4, 4}},
		{"dcgan up", nntAttrs("strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1}), []int64{2, 40, 4, 4}, []int64{40, 24, 4, 4}},
		{"outpad", nntAttrs("strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1}, "output_padding", []int64{1, 1}), []int64{2, 7, 8, 8}, []int64{7, 5, 3, 3}},
		{"large col", nntAttrs("strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1}), []int64{1, 6, 19, 23}, []int64{6, 3, 4, 4}},
		{"even pads", nntAttrs("strides", []int64{2, 2}, "pads", []int64{2, 0, 0, 2}), []int64{2, 5, 7, 37}, []int64{5, 4, 4, 4}},
		{"group", nntAttrs("group", 2, "strides", []int64{2, 1}), []int64{3, 4, 5, 6}, []int64{4, 3, 3, 3}},
		{"1d", nntAttrs("strides", []int64{3}, "pads", []int64{1, 2}, "dilations", []int64{2}), []int64{1, 5, 9}, []int64{5, 2, 4}},
		{"3d fallback", nntAttrs("strides", []int64{2, 1, 2}), []int64{1, 2, 3, 4, 3}, []int64{2, 3, 2, 3, 2}},
		{"empty input", nil, []int64{1, 2, 0, 4}, []int64{2, 3, 3, 3}},
	}
	acts := []struct {
		name   string
		params []float32
		f      func(v float64) float64
	}{
		{"Relu", nil, func(v float64) float64 { return math.Max(v, 0) }},
		{"Tanh", nil, math.Tanh},
		{"LeakyRelu", []float32{0.2}, func(v float64) float64 {
			if v < 0 {
				return 0.2 * v
			}
			return v
		}},
		{"Sigmoid", nil, func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }},
		{"Clip", []float32{-0.5, 0.7}, func(v float64) float64 { return math.Min(math.Max(v, -0.5), 0.7) }},
	}
	for _, tc := range cases {
		x, w := nntRand(rng, tc.x...), nntRand(rng, tc.w...)
		group := int64(1)
		if a, ok := tc.attrs["group"]; ok {
			group = a.I
		}
		in := []*ir.Tensor{x, w, nntRand(rng, tc.w[1]*group)}
		ref, err := convTRun(tc.attrs, convTToF64(in), false, Serial{}, isa.Generic)
		if err != nil {
			t.Fatalf("%s: reference: %v", tc.name, err)
		}
		for _, act := range acts {
			want := make([]float32, len(ir.Data[float64](ref)))
			for i, v := range ir.Data[float64](ref) {
				want[i] = float32(act.f(v))
			}
			for _, par := range []int{1 << 40, 0} {
				convParMACs = par
				for _, cst := range []bool{false, true} {
					for _, pool := range []Pool{Serial{}, testPool{3}} {
						for _, l := range []isa.Level{isa.Generic, isa.Current()} {
							for _, force := range []int{-1, 0, 1, 2} {
								if force >= 0 && !cst {
									continue
								}
								convTForce = force
								name := fmt.Sprintf("%s %s par %v const %v threads %d level %v force %d", tc.name, act.name, par == 0, cst, pool.Threads(), l, force)
								got, err := fusedConvTRun(tc.attrs, act.name, act.params, in, cst, pool, l)
								convTForce = -1
								if err != nil {
									t.Fatalf("%s: %v", name, err)
								}
								if !sameShape(got.Shape, ref.Shape) {
									t.Fatalf("%s: shape %v, want %v", name, got.Shape, ref.Shape)
								}
								nntClose(t, name, got.F32(), want, 2e-5)
							}
						}
					}
				}
			}
		}
	}
}

// TestFusedConvTransposeRejects checks the build errors of the fused op:
// an unknown activation and float64 inputs.
func TestFusedConvTransposeRejects(t *testing.T) {
	rng := rand.New(rand.NewSource(44))
	in := []*ir.Tensor{nntRand(rng, 1, 2, 3, 3), nntRand(rng, 2, 3, 3, 3)}
	if _, err := fusedConvTRun(nil, "Swish", nil, in, true, Serial{}, isa.Generic); err == nil {
		t.Errorf("unknown activation: no error")
	}
	if _, err := fusedConvTRun(nil, "Relu", nil, convTToF64(in), true, Serial{}, isa.Generic); err == nil {
		t.Errorf("float64 inputs: no error")
	}
}

// fusedConvTRun builds one nncc.FusedConvTranspose node (W constant when
// cst) for level and runs it twice into a NaN-filled planned output.
func fusedConvTRun(attrs ir.Attrs, act string, params []float32, in []*ir.Tensor, cst bool, pool Pool, level isa.Level) (*ir.Tensor, error) {
	a := ir.Attrs{"activation": {Name: "activation", Kind: ir.AttrString, S: act}}
	if params != nil {
		a["activation_params"] = &ir.Attr{Name: "activation_params", Kind: ir.AttrFloats, Floats: params}
	}
	for k, v := range withNames(attrs) {
		a[k] = v
	}
	n := &ir.Node{Name: "n", Op: "FusedConvTranspose", Domain: ir.FusedDomain, Opset: 1, Attrs: a}
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
	shape := make([]int64, len(n.Outputs[0].Type.Shape))
	for i, d := range n.Outputs[0].Type.Shape {
		shape[i] = d.Size
	}
	p := ir.NewTensor(ir.Float32, shape)
	for i := range p.F32() {
		p.F32()[i] = float32(math.NaN())
	}
	c.Planned = []*ir.Tensor{p}
	for range 2 {
		if err := f(c, in); err != nil {
			return nil, err
		}
	}
	return c.Outs[0], nil
}

// BenchmarkFusedConvTranspose times the DCGAN generator layers of
// convTBenchCases (batch 3, one thread) as ConvTranspose followed by a
// separate pass of the activation over the output ("separate") and as
// nncc.FusedConvTranspose ("fused"); Relu for the hidden layers, Tanh for
// the last, as in the generator.
func BenchmarkFusedConvTranspose(b *testing.B) {
	rng := rand.New(rand.NewSource(6))
	vec := (&Build{Level: isa.Current()}).Vec()
	for i, tc := range convTBenchCases[:4] {
		act := "Relu"
		if i == 3 {
			act = "Tanh"
		}
		x, w := nntRand(rng, tc.x...), nntRand(rng, tc.w...)
		bias := nntRand(rng, tc.w[1])
		in := []*ir.Tensor{x, w, bias}
		b.Run(tc.name+"/separate", func(b *testing.B) {
			f, c := convTBuild(b, tc.attrs, in, isa.Current())
			for b.Loop() {
				if err := f(c, in); err != nil {
					b.Fatal(err)
				}
				y := c.Outs[0].F32()
				if act == "Relu" {
					vec.Relu(y)
				} else {
					vec.Tanh(y, y)
				}
			}
		})
		b.Run(tc.name+"/fused", func(b *testing.B) {
			a := ir.Attrs{"activation": {Name: "activation", Kind: ir.AttrString, S: act}}
			for k, v := range withNames(tc.attrs) {
				a[k] = v
			}
			n := &ir.Node{Name: "n", Op: "FusedConvTranspose", Domain: ir.FusedDomain, Opset: 1, Attrs: a}
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
				b.Fatal(err)
			}
			f, err := BuildNode(&Build{Node: n, InTypes: types, Level: isa.Current()})
			if err != nil {
				b.Fatal(err)
			}
			shape, _ := n.Outputs[0].Type.Shape.Concrete()
			c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n, Planned: []*ir.Tensor{ir.NewTensor(ir.Float32, shape)}}
			for b.Loop() {
				if err := f(c, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
