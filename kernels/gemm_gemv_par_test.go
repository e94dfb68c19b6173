package kernels

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/gemv"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/vecmath"
)

// TestGemvRowsSplit checks that gemvRows split over a pool by output
// panels (gemvParWeights lowered so that small products split too) gives
// the serial result bit for bit, for every native level, row count, bias,
// beta and activation, with partial last panels and more threads than
// panels.
func TestGemvRowsSplit(t *testing.T) {
	old := gemvParWeights
	gemvParWeights = 0
	defer func() { gemvParWeights = old }()
	rng := rand.New(rand.NewSource(5))
	for _, l := range isa.Supported() {
		if !gemv.Native(l) {
			continue
		}
		vec := vecmath.For(l)
		for _, n := range []int{1, 64, 100, 1000} {
			k := 37
			w := nntRand(rng, int64(n), int64(k)).F32()
			p := packGemv(&Build{Level: l}, true, k, n, w, k)
			act, err := parseFusedAct(&Build{Node: &ir.Node{Name: "act", Attrs: nntAttrs("activation", "Tanh")}, Level: l})
			if err != nil {
				t.Fatal(err)
			}
			for m := 1; m <= gemvMaxRows; m++ {
				a := nntRand(rng, int64(m), int64(k+2)).F32()
				bias := nntRand(rng, int64(n)).F32()
				y0 := nntRand(rng, int64(m), int64(n)).F32()
				for _, beta := range []float32{0, 1, 0.5} {
					for _, threads := range []int{2, 3, 40} {
						what := fmt.Sprintf("%v n%d m%d beta%v t%d", l, n, m, beta, threads)
						want := append([]float32(nil), y0...)
						gemvRows(p, m, 0.75, a, k+2, beta, want, bias, vec, &act, Serial{})
						got := append([]float32(nil), y0...)
						gemvRows(p, m, 0.75, a, k+2, beta, got, bias, vec, &act, testPool{threads})
						for i := range want {
							if got[i] != want[i] {
								t.Fatalf("%s: y[%d] = %v, serial %v", what, i, got[i], want[i])
							}
						}
					}
				}
			}
		}
	}
}
