package gemv

import (
	"fmt"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// BenchmarkMul reports GFLOPS and the rate A streams at (GB/s) per level
// and shape m×n×k: the LSTM steps of the shared models (batch 1-2, 4H =
// 512 or 256), a matrix that stays in L1, and one larger than L2.
func BenchmarkMul(b *testing.B) {
	shapes := [][3]int{{2, 512, 128}, {1, 512, 128}, {2, 256, 64}, {4, 512, 128}, {1, 64, 64}, {1, 4096, 1024}}
	for _, l := range levels() {
		b.Run("isa="+l.String(), func(b *testing.B) {
			for _, sh := range shapes {
				m, n, k := sh[0], sh[1], sh[2]
				b.Run(fmt.Sprintf("%dx%dx%d", m, n, k), func(b *testing.B) {
					benchMul(b, l, m, n, k)
				})
			}
		})
	}
}

func benchMul(b *testing.B, l isa.Level, m, n, k int) {
	a, x, y := make([]float32, n*k), make([]float32, m*k), make([]float32, m*n)
	for i := range a {
		a[i] = float32(i%7) - 3
	}
	for i := range x {
		x[i] = float32(i%5) - 2
	}
	p := Pack(l, n, k, a, k)
	b.ResetTimer()
	for b.Loop() {
		p.Mul(m, 1, x, k, 1, y, n)
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(2*float64(m*n*k)/sec/1e9, "GFLOPS")
	rounds := (m + 1) / 2 // A streams once per pair of rows
	b.ReportMetric(float64(rounds*p.Len()*4)/sec/1e9, "GB/s")
}
