package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/ir"
)

// TestRotaryFloat32MatchesFloat64 requires the float32 path of
// RotaryEmbedding (storage read and written in place) to give the bits
// the float64 path stores, 3-D and 4-D, interleaved or not, a partial
// rotary dimension, with and without position ids.
func TestRotaryFloat32MatchesFloat64(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	fill := func(shape ...int64) *ir.Tensor {
		x := ir.NewTensor(ir.Float32, shape)
		for i := range x.F32() {
			x.F32()[i] = float32(rng.NormFloat64())
		}
		return x
	}
	for _, interleaved := range []bool{false, true} {
		for _, rank3 := range []bool{false, true} {
			for _, withPos := range []bool{false, true} {
				cfg := rotaryConfig{interleaved: interleaved, rotaryDim: 6}
				var x *ir.Tensor
				if rank3 {
					cfg.numHeads = 3
					x = fill(2, 5, 3*8)
				} else {
					x = fill(2, 3, 5, 8)
				}
				var cosT, sinT, pos *ir.Tensor
				if withPos {
					cosT, sinT = fill(11, 3), fill(11, 3)
					pos = ir.FromSlice([]int64{0, 4, 7, 10, 2, 1, 1, 9, 3, 5}, 2, 5)
				} else {
					cosT, sinT = fill(2, 5, 3), fill(2, 5, 3)
				}
				want, err := rotaryRun(&cfg, x, cosT, sinT, pos)
				require.NoError(t, err)
				g, err := rotaryGeometry(&cfg, x, cosT, sinT, pos)
				require.NoError(t, err)
				got := make([]float32, x.Len())
				require.NoError(t, rotaryApply(&cfg, &g, x.F32(), cosT.F32(), sinT.F32(), got))
				for i, w := range want {
					require.Equal(t, math.Float32bits(float32(w)), math.Float32bits(got[i]), "interleaved %v rank3 %v pos %v element %d", interleaved, rank3, withPos, i)
				}
			}
		}
	}
}
