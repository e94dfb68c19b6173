package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestSoftmaxLevels builds Softmax at every level this machine supports
// (AVX-512 takes the one-call row kernel for rows of any length) and
// compares short, odd and long rows, with -Inf entries and entries whose
// exp underflows, against the float64 formula.
func TestSoftmaxLevels(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for _, l := range []isa.Level{isa.Generic, isa.AVX2, isa.AVX512} {
		if !isa.Has(l) {
			continue
		}
		for _, sh := range [][2]int{{1, 1}, {3, 5}, {4, 64}, {2, 65}, {130, 16}, {2, 129}, {3, 256}, {2, 1000}, {1, 4099}} {
			rows, n := sh[0], sh[1]
			x := make([]float32, rows*n)
			for i := range x {
				x[i] = float32(r.NormFloat64() * 3)
				switch k := r.IntN(12); {
				case n > 1 && k < 2:
					x[i] = float32(math.Inf(-1))
				case n > 1 && k == 2:
					x[i] = -1e4 // a masked score: exp underflows
				case n > 1 && k == 3:
					x[i] = float32(-80 - r.Float64()*30) // near and below the smallest normal result
				}
			}
			for i := range rows { // at least one finite entry per row
				x[i*n] = float32(r.NormFloat64())
			}
			node := &ir.Node{Name: "n", Op: "Softmax", Opset: 13, Attrs: ir.Attrs{},
				Inputs: []*ir.Value{{Name: "x"}}, Outputs: []*ir.Value{{Name: "y"}}}
			f, err := BuildNode(&Build{Node: node, Level: l})
			if err != nil {
				t.Fatal(err)
			}
			in := ir.FromSlice(append([]float32(nil), x...), int64(rows), int64(n))
			c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: node}
			if err := f(c, []*ir.Tensor{in}); err != nil {
				t.Fatal(err)
			}
			y := c.Outs[0].F32()
			what := fmt.Sprintf("%v %dx%d", l, rows, n)
			for i := range rows {
				row := x[i*n : (i+1)*n]
				m := math.Inf(-1)
				for _, v := range row {
					m = math.Max(m, float64(v))
				}
				s := 0.0
				for _, v := range row {
					s += math.Exp(float64(v) - m)
				}
				for j, v := range row {
					w := math.Exp(float64(v)-m) / s
					if got := float64(y[i*n+j]); math.Abs(got-w) > 1e-6*w+1e-9 {
						t.Fatalf("%s: y[%d,%d] = %v, want %v", what, i, j, got, w)
					}
				}
			}
		}
	}
}
