package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestPoolFastRanks compares the float32 1-D (as 2-D with one row) and
// 3-D (pool_3d.go) paths of MaxPool and AveragePool with the general
// per-output path run on the same values in float64, over strides,
// dilations, asymmetric and large pads (windows wholly in the padding),
// ceil_mode and count_include_pad, serially and split over planes, into
// NaN-filled planned outputs, with the input left unmodified.
func TestPoolFastRanks(t *testing.T) {
	defer func(p int) { poolParElems = p }(poolParElems)
	rng := rand.New(rand.NewSource(17))
	cases := []struct {
		x     []int64
		attrs ir.Attrs
	}{
		{[]int64{1, 20, 30}, nntAttrs("kernel_shape", []int64{3}, "strides", []int64{2}, "pads", []int64{0, 1})},
		{[]int64{2, 3, 17}, nntAttrs("kernel_shape", []int64{4}, "dilations", []int64{2}, "pads", []int64{3, 2}, "ceil_mode", 1)},
		{[]int64{1, 2, 9}, nntAttrs("kernel_shape", []int64{3}, "pads", []int64{2, 2}, "count_include_pad", 1)},
		{[]int64{1, 1, 70}, nntAttrs("kernel_shape", []int64{5}, "strides", []int64{3}, "ceil_mode", 1)},
		{[]int64{1, 6, 5, 6, 7}, nntAttrs("kernel_shape", []int64{2, 2, 2}, "strides", []int64{2, 2, 2})},
		{[]int64{2, 3, 7, 8, 9}, nntAttrs("kernel_shape", []int64{3, 3, 3}, "pads", []int64{1, 1, 1, 1, 1, 1})},
		{[]int64{1, 2, 6, 5, 9}, nntAttrs("kernel_shape", []int64{3, 2, 3}, "strides", []int64{2, 1, 2}, "dilations", []int64{2, 1, 1}, "pads", []int64{2, 0, 1, 1, 1, 2}, "ceil_mode", 1)},
		{[]int64{1, 2, 4, 4, 4}, nntAttrs("kernel_shape", []int64{2, 3, 2}, "pads", []int64{1, 2, 1, 1, 2, 1}, "count_include_pad", 1)},
		{[]int64{1, 1, 1, 3, 70}, nntAttrs("kernel_shape", []int64{1, 2, 4}, "strides", []int64{1, 2, 3})},
	}
	for ci, tc := range cases {
		x := nntRand(rng, tc.x...)
		for i := range x.F32() {
			if rng.Intn(50) == 0 {
				x.F32()[i] = float32(math.Inf(1 - 2*rng.Intn(2)))
			}
		}
		orig := append([]float32(nil), x.F32()...)
		x64 := convTToF64([]*ir.Tensor{x})[0]
		for _, op := range []string{"MaxPool", "AveragePool"} {
			if _, ok := tc.attrs["count_include_pad"]; ok && op == "MaxPool" {
				continue
			}
			want := poolRun(t, op, tc.attrs, x64, Serial{})
			for _, par := range []int{1 << 18, 0} {
				poolParElems = par
				for _, pool := range []Pool{Serial{}, testPool{3}} {
					name := fmt.Sprintf("case %d %s par %d threads %d", ci, op, par, pool.Threads())
					got := poolRun(t, op, tc.attrs, x, pool)
					if !sameShape(got.Shape, want.Shape) {
						t.Fatalf("%s: shape %v, want %v", name, got.Shape, want.Shape)
					}
					for i, g := range got.F32() {
						e := ir.Data[float64](want)[i]
						if math.IsInf(e, 0) || math.IsNaN(e) {
							if float64(g) != e && !(math.IsNaN(e) && g != g) {
								t.Fatalf("%s: element %d = %v, want %v", name, i, g, e)
							}
							continue
						}
						if math.Abs(float64(g)-e) > 1e-5*(1+math.Abs(e)) {
							t.Fatalf("%s: element %d = %v, want %v", name, i, g, e)
						}
					}
					for i, v := range x.F32() {
						if math.Float32bits(v) != math.Float32bits(orig[i]) {
							t.Fatalf("%s: input modified", name)
						}
					}
				}
			}
		}
	}
}

// poolRun builds one pooling node and runs it twice (the second Run with
// warm state) into a NaN-filled planned output.
func poolRun(t *testing.T, op string, attrs ir.Attrs, x *ir.Tensor, pool Pool) *ir.Tensor {
	t.Helper()
	n := &ir.Node{Name: "n", Op: op, Opset: 19, Attrs: withNames(attrs)}
	xv := &ir.Value{Name: "x", Type: ir.TypeOfTensor(x)}
	n.Inputs = []*ir.Value{xv}
	n.Outputs = []*ir.Value{{Name: "y"}}
	if err := ir.InferNode(n); err != nil {
		t.Fatal(err)
	}
	f, err := BuildNode(&Build{Node: n, InTypes: []*ir.Type{&xv.Type}})
	if err != nil {
		t.Fatal(err)
	}
	shape := make([]int64, len(n.Outputs[0].Type.Shape))
	for i, d := range n.Outputs[0].Type.Shape {
		shape[i] = d.Size
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: pool, Node: n}
	if x.DType == ir.Float32 {
		p := ir.NewTensor(ir.Float32, shape)
		for i := range p.F32() {
			p.F32()[i] = float32(math.NaN())
		}
		c.Planned = []*ir.Tensor{p}
	}
	for range 2 {
		if err := f(c, []*ir.Tensor{x}); err != nil {
			t.Fatal(err)
		}
	}
	return c.Outs[0]
}

// TestMaxPoolNaNAllRanks: a NaN in a window makes the window's maximum
// NaN on every path (1-D, 2-D and 3-D, float32 and float64, with and
// without the Indices output), wherever the NaN lies in the window.
func TestMaxPoolNaNAllRanks(t *testing.T) {
	nan := float32(math.NaN())
	for _, dt := range []ir.DType{ir.Float32, ir.Float64} {
		for rank := 1; rank <= 3; rank++ {
			for _, withIdx := range []bool{false, true} {
				shape := []int64{1, 1}
				ks := []int64{}
				for range rank {
					shape = append(shape, 4)
					ks = append(ks, 2)
				}
				x := ir.NewTensor(dt, shape)
				nEl := int(ir.NumElements(shape))
				for i := range nEl {
					v := float32(i%7) + 1
					if i == 1 { // second tap of the first window
						v = nan
					}
					switch d := x.Data.(type) {
					case []float32:
						d[i] = v
					case []float64:
						d[i] = float64(v)
					}
				}
				n := &ir.Node{Name: "p", Op: "MaxPool", Opset: 12, Attrs: withNames(nntAttrs("kernel_shape", ks, "strides", ks))}
				v := &ir.Value{Name: "x", Type: ir.TypeOfTensor(x)}
				n.Inputs = []*ir.Value{v}
				n.Outputs = []*ir.Value{{Name: "y"}}
				if withIdx {
					n.Outputs = append(n.Outputs, &ir.Value{Name: "i"})
				}
				if err := ir.InferNode(n); err != nil {
					t.Fatal(err)
				}
				f, err := BuildNode(&Build{Node: n, InTypes: []*ir.Type{&v.Type}, Level: isa.Current()})
				if err != nil {
					t.Fatal(err)
				}
				c := &Ctx{Outs: make([]*ir.Tensor, len(n.Outputs)), Pool: inlinePool{1}, Node: n}
				if err := f(c, []*ir.Tensor{x}); err != nil {
					t.Fatal(err)
				}
				var first float64
				switch d := c.Outs[0].Data.(type) {
				case []float32:
					first = float64(d[0])
				case []float64:
					first = d[0]
				}
				if !math.IsNaN(first) {
					t.Errorf("%v rank %d indices %v: first window max %v, want NaN", dt, rank, withIdx, first)
				}
			}
		}
	}
}
