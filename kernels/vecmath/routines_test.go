package vecmath

import (
	"math"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// TestRoutinesMatchForcedLevel: For(l).X computes bit for bit what the
// package-level X computes with l selected process-wide.
func TestRoutinesMatchForcedLevel(t *testing.T) {
	x := make([]float32, 131)
	for i := range x {
		x[i] = float32(math.Sin(float64(i))) * 4
	}
	type unary struct {
		name string
		pkg  func(d, x []float32)
		meth func(r *Routines, d, x []float32)
	}
	cases := []unary{
		{"Exp", Exp, (*Routines).Exp},
		{"Tanh", Tanh, (*Routines).Tanh},
		{"Sigmoid", Sigmoid, (*Routines).Sigmoid},
		{"Erf", Erf, (*Routines).Erf},
		{"GeluErf", GeluErf, (*Routines).GeluErf},
		{"GeluTanh", GeluTanh, (*Routines).GeluTanh},
		{"Softmax", Softmax, (*Routines).Softmax},
		{"LogSoftmax", LogSoftmax, (*Routines).LogSoftmax},
		{"Add", func(d, x []float32) { Binary(Add, d, x, x) }, func(r *Routines, d, x []float32) { r.Binary(Add, d, x, x) }},
		{"LayerNorm", func(d, x []float32) { LayerNorm(d, x, nil, nil, 1e-5) }, func(r *Routines, d, x []float32) { r.LayerNorm(d, x, nil, nil, 1e-5) }},
	}
	for _, l := range isa.Supported() {
		r := For(l)
		if r.Level() != l {
			t.Fatalf("For(%v).Level() = %v", l, r.Level())
		}
		for _, c := range cases {
			want := make([]float32, len(x))
			restore := isa.Force(l)
			c.pkg(want, x)
			restore()
			got := make([]float32, len(x))
			c.meth(r, got, x)
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%v %s[%d] = %v, package function gives %v", l, c.name, i, got[i], want[i])
				}
			}
		}
		if s, w := r.Sum(x), func() float32 { defer isa.Force(l)(); return Sum(x) }(); s != w {
			t.Fatalf("%v Sum %v != %v", l, s, w)
		}
	}
	if For(isa.Level(200)).Level() != isa.Generic {
		t.Fatal("an unknown level must get the Generic routines")
	}
}
