package runtime

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/ir"
)

// TestNaNPropagates: NaN in an input flows through Gemm, Relu and Tanh as
// IEEE arithmetic says — every output of that batch row is NaN, the other
// row is untouched — on both paths, with no error.
func TestNaNPropagates(t *testing.T) {
	for _, ref := range []bool{true, false} {
		s, err := Load("../testdata/models/gan_generator", Options{Threads: 1, Reference: ref})
		require.NoError(t, err)
		n := int(s.Inputs()[0].Type.Shape[1].Size)
		x := make([]float32, 2*n)
		for i := range x {
			x[i] = float32(i%7)/7 - 0.5
		}
		x[3] = float32(math.NaN())
		out, err := s.Run(context.Background(), map[string]*ir.Tensor{s.Inputs()[0].Name: ir.FromSlice(x, 2, int64(n))})
		require.NoError(t, err)
		y := out[s.Outputs()[0].Name].F32()
		half := len(y) / 2
		for i, v := range y {
			if i < half {
				require.True(t, math.IsNaN(float64(v)), "reference=%v: row 0 element %d = %v, want NaN", ref, i, v)
			} else {
				require.False(t, math.IsNaN(float64(v)) || math.IsInf(float64(v), 0), "reference=%v: row 1 element %d = %v", ref, i, v)
			}
		}
	}
}
