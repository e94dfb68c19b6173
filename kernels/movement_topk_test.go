package kernels

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/ir"
)

// TestTopKTypedMatchesKeys checks the typed TopK lanes (heap selection for
// small k, a sort otherwise) against a stable sort of the widened keys,
// on every axis, both directions, k from 0 to the axis length, with ties
// and NaNs.
func TestTopKTypedMatchesKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	shape := []int64{2, 40, 3}
	n := int(ir.NumElements(shape))
	f32 := make([]float32, n)
	i64 := make([]int64, n)
	for i := range n {
		v := float64(rng.IntN(9) - 4)
		f32[i], i64[i] = float32(v), int64(v)
		if rng.IntN(11) == 0 {
			f32[i] = float32(math.NaN())
		}
	}
	for name, x := range map[string]*ir.Tensor{"float32": ir.FromSlice(f32, shape...), "int64": ir.FromSlice(i64, shape...)} {
		keys, err := mvKeysOf(x)
		require.NoError(t, err)
		for ax := range shape {
			L := mvLanesOf(x.Shape, ax)
			for _, largest := range []bool{true, false} {
				for _, k := range []int{0, 1, 3, L.n / 2, L.n} {
					if k > L.n {
						continue // the kernel refuses K beyond the axis
					}
					out := append([]int64{}, x.Shape...)
					out[ax] = int64(k)
					vals := ir.NewTensor(x.DType, out)
					idx := make([]int64, ir.NumElements(out))
					require.True(t, topKTyped(x, vals, idx, L, k, largest, make([]int64, L.n)))
					for o := 0; o < L.outer; o++ {
						for i := 0; i < L.inner; i++ {
							base := o*L.n*L.inner + i
							order := make([]int, L.n)
							for j := range order {
								order[j] = j
							}
							sort.SliceStable(order, func(p, q int) bool {
								c := keys.cmpAt(base+order[p]*L.inner, base+order[q]*L.inner)
								if largest {
									return c > 0
								}
								return c < 0
							})
							for j := 0; j < k; j++ {
								pos := (o*k+j)*L.inner + i
								require.Equal(t, int64(order[j]), idx[pos], "%s axis %d largest %v k %d lane (%d, %d) rank %d", name, ax, largest, k, o, i, j)
							}
						}
					}
				}
			}
		}
	}
}
