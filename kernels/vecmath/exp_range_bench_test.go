package vecmath

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// BenchmarkExpRange times the exp-based routines (Exp, Sigmoid and the
// softmax pass ExpShiftSum) of every level on 4K random inputs in
// [-120, -80], where exp's result is subnormal or 0 (Sigmoid's too, at
// -x), against [-5, 5], where it is normal. Underflowing float operations
// take a microcode assist on current x86 cores, so the two ranges differ
// by a factor when a routine lets the result underflow in a multiply.
// cpu-ns/op is the thread's CPU time per call (the machine is shared).
func BenchmarkExpRange(b *testing.B) {
	const n = 4 << 10
	ranges := []struct {
		name   string
		lo, hi float64
	}{{"under", -120, -80}, {"normal", -5, 5}}
	for _, rg := range ranges {
		r := rand.New(rand.NewPCG(31, 32))
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rg.lo + (rg.hi-rg.lo)*r.Float64())
		}
		d := make([]float32, n)
		for _, l := range isa.Supported() {
			im := &levels[l]
			cases := []struct {
				name string
				fn   func()
			}{
				{"Exp", func() { im.exp(d, x) }},
				{"Sigmoid", func() { im.sigmoid(d, x) }},
				{"ExpShiftSum", func() { im.expShiftSum(d, x, 0) }},
			}
			for _, c := range cases {
				b.Run(fmt.Sprintf("%s/%s/%v", c.name, rg.name, l), func(b *testing.B) {
					b.SetBytes(4 * n)
					runtime.LockOSThread()
					defer runtime.UnlockOSThread()
					t0 := threadCPU()
					for b.Loop() {
						c.fn()
					}
					b.ReportMetric(float64(threadCPU()-t0)/float64(b.N), "cpu-ns/op")
				})
			}
		}
	}
}
