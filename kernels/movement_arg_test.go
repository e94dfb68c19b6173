package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/ir"
)

// TestArgTypedMatchesKeys checks the typed ArgMax/ArgMin lanes against the
// widened-key comparison they replace, on every axis of 3-d tensors of
// several dtypes with ties and (for floats) NaNs, both signs and both tie
// rules.
func TestArgTypedMatchesKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	shape := []int64{3, 5, 4}
	n := int(ir.NumElements(shape))
	small := func() float64 { return float64(rng.IntN(5) - 2) } // many ties
	tensors := map[string]*ir.Tensor{}
	f32 := make([]float32, n)
	f64 := make([]float64, n)
	i64 := make([]int64, n)
	i8 := make([]int8, n)
	u8 := make([]uint8, n)
	for i := range n {
		v := small()
		f32[i], f64[i], i64[i], i8[i], u8[i] = float32(v), v, int64(v), int8(v), uint8(v+2)
		if rng.IntN(7) == 0 {
			f32[i], f64[i] = float32(math.NaN()), math.NaN()
		}
	}
	tensors["float32"] = ir.FromSlice(f32, shape...)
	tensors["float64"] = ir.FromSlice(f64, shape...)
	tensors["int64"] = ir.FromSlice(i64, shape...)
	tensors["int8"] = ir.FromSlice(i8, shape...)
	tensors["uint8"] = ir.FromSlice(u8, shape...)
	for name, x := range tensors {
		keys, err := mvKeysOf(x)
		require.NoError(t, err)
		for ax := range shape {
			L := mvLanesOf(x.Shape, ax)
			for _, sign := range []int{1, -1} {
				for _, last := range []bool{false, true} {
					got := make([]int64, L.outer*L.inner)
					require.True(t, argTyped(x, got, L, sign, last), name)
					for o := 0; o < L.outer; o++ {
						for i := 0; i < L.inner; i++ {
							base, best := o*L.n*L.inner+i, 0
							for j := 1; j < L.n; j++ {
								cv := keys.cmpAt(base+j*L.inner, base+best*L.inner) * sign
								if cv > 0 || (cv == 0 && last) {
									best = j
								}
							}
							require.Equal(t, int64(best), got[o*L.inner+i], "%s axis %d sign %d last %v lane (%d, %d)", name, ax, sign, last, o, i)
						}
					}
				}
			}
		}
	}
	require.False(t, argTyped(ir.NewTensor(ir.Float16, shape), make([]int64, n), mvLanesOf(shape, 0), 1, false), "float16 goes through mvKeys")
}
