package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestEinsumGemmMatchesSum checks the batched-SGEMM form of two-operand
// Einsum against a direct sum over every label assignment, for
// equations whose labels need every permutation (none, of A, of B, of the
// product) and for those it must leave to the element loop.
func TestEinsumGemmMatchesSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	size := map[byte]int{'a': 2, 'b': 3, 'i': 5, 'j': 4, 'k': 6, 'l': 3, 'h': 2, 'd': 7, 'q': 3}
	for _, eq := range []string{
		"ij,jk->ik", "ik,jk->ij", "ki,kj->ij", "bij,bjk->bik", "bhid,bhjd->bhij", "bhij,bhjd->bhid",
		"bid,bjd->bij", "ij,jk->ki", "abij,bajk->abik", "ij,kl->ijkl", "i,i->", "ij,j->i",
		"bqhd,bkhd->bhqk", "bhqk,bkhd->bqhd", "ijk,jk->i",
	} {
		spec, a, b := einsumOperands(t, eq, size, rng)
		g := einsumGemmPlan(spec, a, b)
		require.NotNil(t, g, eq)
		y := make([]float32, ir.NumElements(g.outShape))
		for _, level := range []isa.Level{isa.Generic, isa.Current()} {
			for i := range y {
				y[i] = float32(math.NaN())
			}
			g.run(&Ctx{}, level, a.F32(), b.F32(), y)
			want := einsumDirect(spec, a, b, size, eq)
			for i := range want {
				require.InDelta(t, want[i], y[i], 1e-4*(1+math.Abs(want[i])), "%s level %v element %d", eq, level, i)
			}
		}
	}
	for _, eq := range []string{"ii,ij->j", "ij,jk->i", "ij,ij->ij"} {
		spec, a, b := einsumOperands(t, eq, size, rng)
		require.Nil(t, einsumGemmPlan(spec, a, b), "%s: a diagonal, a label summed within one operand, an elementwise product", eq)
	}
}

// einsumOperands parses eq and makes random operands of the label sizes.
func einsumOperands(t *testing.T, eq string, size map[byte]int, rng *rand.Rand) (*ir.EinsumSpec, *ir.Tensor, *ir.Tensor) {
	ins := einsumInputs(eq)
	var ops []*ir.Tensor
	for _, in := range ins {
		var shape []int64
		for i := 0; i < len(in); i++ {
			shape = append(shape, int64(size[in[i]]))
		}
		v := make([]float32, ir.NumElements(shape))
		for i := range v {
			v[i] = float32(rng.NormFloat64())
		}
		ops = append(ops, ir.FromSlice(v, shape...))
	}
	spec, err := ir.ParseEinsum(eq, []int{ops[0].Rank(), ops[1].Rank()})
	require.NoError(t, err, eq)
	return spec, ops[0], ops[1]
}

func einsumInputs(eq string) []string {
	lhs := eq
	for i := 0; i+1 < len(eq); i++ {
		if eq[i] == '-' && eq[i+1] == '>' {
			lhs = eq[:i]
		}
	}
	var out []string
	start := 0
	for i := 0; i <= len(lhs); i++ {
		if i == len(lhs) || lhs[i] == ',' {
			out = append(out, lhs[start:i])
			start = i + 1
		}
	}
	return out
}

// einsumDirect sums over every assignment of the labels, in float64.
func einsumDirect(spec *ir.EinsumSpec, a, b *ir.Tensor, size map[byte]int, eq string) []float64 {
	ins := einsumInputs(eq)
	labelSize := make([]int, spec.NumLabels)
	for o, labels := range spec.In {
		for k, l := range labels {
			labelSize[l] = size[ins[o][k]]
		}
	}
	outLen := 1
	for _, l := range spec.Out {
		outLen *= labelSize[l]
	}
	out := make([]float64, outLen)
	val := make([]int, spec.NumLabels)
	offset := func(labels []int) int {
		o := 0
		for _, l := range labels {
			o = o*labelSize[l] + val[l]
		}
		return o
	}
	var rec func(l int)
	rec = func(l int) {
		if l == spec.NumLabels {
			out[offset(spec.Out)] += float64(a.F32()[offset(spec.In[0])]) * float64(b.F32()[offset(spec.In[1])])
			return
		}
		for v := 0; v < max(labelSize[l], 1); v++ {
			val[l] = v
			rec(l + 1)
		}
	}
	rec(0)
	return out
}
