package vecmath

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// BenchmarkActRandomSign times the piecewise activations (LeakyRelu,
// HardSigmoid, HardSwish) on every level over 4K and 64K values whose
// signs are random, the data on which a branch per value mispredicts half
// the time. LeakyRelu works in place, so each iteration first copies the
// input into the buffer; Copy times that copy alone. cpu-ns/op is the
// thread's CPU time per call (the machine is shared).
func BenchmarkActRandomSign(b *testing.B) {
	for _, n := range []int{4 << 10, 64 << 10} {
		r := rand.New(rand.NewPCG(uint64(n), 7))
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(r.NormFloat64() * 4)
		}
		d := make([]float32, n)
		for _, l := range isa.Supported() {
			v := For(l)
			cases := []struct {
				name string
				fn   func()
			}{
				{"Copy", func() { copy(d, x) }},
				{"LeakyRelu", func() { copy(d, x); v.LeakyRelu(d, 0.1) }},
				{"HardSigmoid", func() { v.HardSigmoid(d, x, 0.2, 0.5) }},
				{"HardSwish", func() { v.HardSwish(d, x) }},
			}
			for _, c := range cases {
				b.Run(fmt.Sprintf("%s/n=%d/%v", c.name, n, l), func(b *testing.B) {
					b.SetBytes(int64(4 * n))
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
