package vecmath

import (
	"math"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// pieceEdges returns the inputs where the piecewise activations change
// piece or round differently: every float32 within 2^14 ulp of the clamp
// boundaries of the parameters of pieceCases (both signs), the zeros and a
// dense sample of the denormals, NaN payloads of both signs and kinds
// (quiet, signalling), ±Inf and ±MaxFloat32.
func pieceEdges() []float32 {
	var xs []float32
	for _, b := range []float32{2.5, 3, 0.25 / 0.3, 1.25 / 0.3, 0.375, 0.125, 2, 1, 0.5} {
		c := math.Float32bits(b)
		for d := uint32(0); d < 1<<15; d++ {
			v := math.Float32frombits(c - 1<<14 + d)
			xs = append(xs, v, -v)
		}
	}
	for m := uint32(0); m < 1<<23; m += 61 {
		v := math.Float32frombits(m)
		xs = append(xs, v, -v)
	}
	for m := uint32(1); m < 1<<23; m += 4099 {
		v := math.Float32frombits(0x7f800000 | m) // signalling below 1<<22, quiet above
		xs = append(xs, v, -v)
	}
	inf := float32(math.Inf(1))
	return append(xs, 0, float32(math.Copysign(0, -1)), inf, -inf, math.MaxFloat32, -math.MaxFloat32,
		math.Float32frombits(1), math.Float32frombits(0x007fffff), 0x1p-126, -0x1p-126)
}

// TestPiecewiseEdges checks every level's piecewise activations against
// their twins on pieceEdges: the same bits for every non-NaN result, NaN
// for NaN. Together with TestPiecewiseSweep (dense sweep against the old
// per-value formulas) this is the check that fits under qemu for the NEON
// routines, where all 2^32 inputs take too long.
func TestPiecewiseEdges(t *testing.T) {
	xs := pieceEdges()
	got, want := make([]float32, len(xs)), make([]float32, len(xs))
	forEachLevel(t, func(t *testing.T, l isa.Level) {
		for _, c := range pieceCases() {
			c.get(&levels[l])(got, xs)
			c.twin(want, xs)
			for i, v := range xs {
				if !sameFloat(got[i], want[i]) {
					t.Fatalf("%s(%v [%#08x]) = %v [%#08x], twin %v [%#08x]", c.name, v, math.Float32bits(v),
						got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
				}
			}
		}
	})
}
