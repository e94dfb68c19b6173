package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestHalfConvMatchesIR checks the float16 conversions of every supported
// level, serial and split over a pool, against ir.F16.Float32 and
// ir.NewFloat16 bit for bit: all 65536 halves, and float32 values of
// every magnitude (NaNs, infinities, subnormal and overflowing results),
// at lengths that leave a tail after the vector blocks.
func TestHalfConvMatchesIR(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	halves := make([]ir.F16, 1<<16+13)
	for i := range halves {
		halves[i] = ir.F16(i)
	}
	floats := make([]float32, 1<<17+5)
	for i := range floats {
		switch i % 4 {
		case 0:
			floats[i] = math.Float32frombits(r.Uint32())
		case 1:
			floats[i] = float32(r.NormFloat64() * 70000)
		case 2:
			floats[i] = float32(r.NormFloat64() * 1e-5)
		default:
			floats[i] = float32(r.NormFloat64())
		}
	}
	for _, l := range isa.Supported() {
		h := halfConvFor(l)
		for _, pool := range []Pool{nil, attnTestPool{3}} {
			for _, n := range []int{0, 1, 15, 17, 100, len(halves)} {
				name := fmt.Sprintf("%v/pool=%v/n=%d", l, pool != nil, n)
				got := make([]float32, n)
				h.widen(pool, got, halves[:n])
				for i := range n {
					if want := halves[i].Float32(); math.Float32bits(got[i]) != math.Float32bits(want) {
						t.Fatalf("%s: widen %#04x = %#08x, want %#08x", name, uint16(halves[i]), math.Float32bits(got[i]), math.Float32bits(want))
					}
				}
			}
			for _, n := range []int{0, 1, 15, 17, 100, len(floats)} {
				name := fmt.Sprintf("%v/pool=%v/n=%d", l, pool != nil, n)
				got := make([]ir.F16, n)
				h.narrow(pool, got, floats[:n])
				for i := range n {
					if want := ir.NewFloat16(floats[i]); got[i] != want {
						t.Fatalf("%s: narrow %#08x = %#04x, want %#04x", name, math.Float32bits(floats[i]), uint16(got[i]), uint16(want))
					}
				}
			}
		}
	}
}
