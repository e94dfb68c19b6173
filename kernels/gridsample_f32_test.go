package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/ir"
)

// TestGridSampleF32MatchesReference requires the float32 2-D path to give
// the reference path's bits for linear and nearest modes, every padding
// mode and both align_corners settings, on grids reaching well outside
// [-1, 1] and hitting pixel centres and halves exactly.
func TestGridSampleF32MatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := ir.NewTensor(ir.Float32, []int64{2, 3, 5, 7})
	for i := range x.F32() {
		x.F32()[i] = float32(rng.NormFloat64())
	}
	grid := ir.NewTensor(ir.Float32, []int64{2, 4, 6, 2})
	for i := range grid.F32() {
		switch rng.IntN(4) {
		case 0:
			grid.F32()[i] = float32(rng.IntN(9)-4) / 4 // on a lattice: centres and halves
		default:
			grid.F32()[i] = float32(rng.Float64()*3.2 - 1.6)
		}
	}
	for _, mode := range []string{"linear", "nearest"} {
		for _, pad := range []string{"zeros", "border", "reflection"} {
			for _, align := range []bool{false, true} {
				cfg := &gridSampleConfig{mode: mode, padding: pad, align: align}
				want := ir.NewTensor(ir.Float32, []int64{2, 3, 4, 6})
				require.NoError(t, gridSampleRun(cfg, x, grid, want))
				got := ir.NewTensor(ir.Float32, []int64{2, 3, 4, 6})
				for i := range got.F32() {
					got.F32()[i] = float32(math.NaN())
				}
				require.True(t, gridSampleF32(cfg, x, grid, got))
				for i, v := range want.F32() {
					require.Equal(t, math.Float32bits(v), math.Float32bits(got.F32()[i]), "%s %s align %v element %d: %v vs %v", mode, pad, align, i, got.F32()[i], v)
				}
			}
		}
	}
	require.False(t, gridSampleF32(&gridSampleConfig{mode: "cubic", padding: "zeros"}, x, grid, ir.NewTensor(ir.Float32, []int64{2, 3, 4, 6})), "cubic keeps the reference path")
}
