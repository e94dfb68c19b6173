package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/vecmath"
)

// actBenchX is a 4096-element row of N(0,1)-like spread values (half
// negative), the input of the activation benchmarks.
func actBenchX() []float32 {
	x := make([]float32, 4096)
	for i := range x {
		x[i] = float32(math.Sin(float64(i)*0.37)) * 3
	}
	return x
}

// BenchmarkActUnary runs the float32 path of the standalone activation
// kernels (also the fused-elementwise loop's) on one 4096-element row.
func BenchmarkActUnary(b *testing.B) {
	x := actBenchX()
	y := make([]float32, len(x))
	vec := vecmath.For(isa.Current())
	for _, c := range []struct {
		name string
		op   ewUOp
		p    ewUParams
	}{
		{"Elu", ewElu, ewUParams{alpha: 1}},
		{"Selu", ewSelu, ewUParams{alpha: 1.6732632, gamma: 1.050701}},
		{"Celu", ewCelu, ewUParams{alpha: 2}},
		{"Softplus", ewSoftplus, ewUParams{}},
		{"Softsign", ewSoftsign, ewUParams{}},
		{"Mish", ewMish, ewUParams{}},
		{"HardSigmoid", ewHardSigmoid, ewUParams{alpha: 0.2, beta: 0.5}},
		{"HardSwish", ewHardSwish, ewUParams{}},
	} {
		p := c.p
		p.vec = vec
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(4 * len(x)))
			for b.Loop() {
				ewUnaryF32(c.op, &p, x, y)
			}
		})
	}
}

// BenchmarkActFused runs fusedAct.apply (FusedGemm/FusedConv rows) on one
// 4096-element row, restored from x before each call.
func BenchmarkActFused(b *testing.B) {
	x := actBenchX()
	y := make([]float32, len(x))
	vec := vecmath.For(isa.Current())
	for _, c := range []struct {
		name string
		f    fusedAct
	}{
		{"Elu", fusedAct{kind: faElu, p: [2]float32{1}, vec: vec}},
		{"Softplus", fusedAct{kind: faSoftplus, vec: vec}},
		{"HardSigmoid", fusedAct{kind: faHardSigmoid, p: [2]float32{0.2, 0.5}, vec: vec}},
		{"HardSwish", fusedAct{kind: faHardSwish, vec: vec}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(4 * len(x)))
			for b.Loop() {
				copy(y, x)
				c.f.apply(y)
			}
		})
	}
}
