package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestLayerNormLevels builds LayerNormalization at every level this machine
// supports (AVX-512 takes the one-call row kernel when B is given) and
// compares float32 rows of several lengths, with and without B, against
// the float64 formula.
func TestLayerNormLevels(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, l := range []isa.Level{isa.Generic, isa.AVX2, isa.AVX512} {
		if !isa.Has(l) {
			continue
		}
		for _, sh := range [][2]int{{1, 1}, {5, 7}, {3, 128}, {2, 130}, {4, 64}} {
			for _, withBias := range []bool{true, false} {
				rows, n := sh[0], sh[1]
				x := make([]float32, rows*n)
				for i := range x {
					x[i] = float32(3 + r.NormFloat64()*2)
				}
				sc, bs := make([]float32, n), make([]float32, n)
				for i := range sc {
					sc[i], bs[i] = float32(r.NormFloat64()), float32(r.NormFloat64())
				}
				node := &ir.Node{Name: "n", Op: "LayerNormalization", Opset: 17, Attrs: ir.Attrs{}}
				in := []*ir.Tensor{ir.FromSlice(x, int64(rows), int64(n)), ir.FromSlice(sc, int64(n))}
				if withBias {
					in = append(in, ir.FromSlice(bs, int64(n)))
				}
				for range in {
					node.Inputs = append(node.Inputs, &ir.Value{Name: "in"})
				}
				node.Outputs = []*ir.Value{{Name: "y"}}
				f, err := BuildNode(&Build{Node: node, Level: l})
				if err != nil {
					t.Fatal(err)
				}
				c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: node}
				if err := f(c, in); err != nil {
					t.Fatal(err)
				}
				y := c.Outs[0].F32()
				what := fmt.Sprintf("%v %dx%d bias=%v", l, rows, n, withBias)
				for i := range rows {
					row := x[i*n : (i+1)*n]
					var m, v float64
					for _, e := range row {
						m += float64(e)
					}
					m /= float64(n)
					for _, e := range row {
						v += (float64(e) - m) * (float64(e) - m)
					}
					rs := 1 / math.Sqrt(v/float64(n)+1e-5)
					for j, e := range row {
						w := (float64(e) - m) * rs * float64(sc[j])
						if withBias {
							w += float64(bs[j])
						}
						if got := float64(y[i*n+j]); math.Abs(got-w) > 1e-5*(1+math.Abs(w)) {
							t.Fatalf("%s: y[%d,%d] = %v, want %v", what, i, j, got, w)
						}
					}
				}
				for i := range x {
					if in[0].F32()[i] != x[i] {
						t.Fatalf("%s: X modified", what)
					}
				}
			}
		}
	}
}
