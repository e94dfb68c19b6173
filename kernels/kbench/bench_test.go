package kbench

import (
	"fmt"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// benchCases runs every case whose Bench is name, per supported ISA level
// (cases without assembly only as generic), as sub-benchmarks named
// isa=LEVEL/n=N (or isa=LEVEL/MxNxK/threads=T for SGEMM), reporting
// GFLOPS, GB/s and Gelem/s besides ns/op.
func benchCases(b *testing.B, name string) {
	for _, l := range isa.Supported() {
		b.Run("isa="+l.String(), func(b *testing.B) {
			defer isa.Force(l)()
			for _, c := range Cases() {
				if c.Bench != name || (!c.Asm && l != isa.Generic) {
					continue
				}
				sub := fmt.Sprintf("n=%d", c.M*c.N)
				if c.K > 0 || c.Threads > 1 || c.Kernel == "sgemm" {
					sub = fmt.Sprintf("%dx%dx%d/threads=%d", c.M, c.N, c.K, c.Threads)
				}
				b.Run(sub, func(b *testing.B) {
					var pool sgemm.Pool
					if c.Threads > 1 {
						w := newWorkers(c.Threads)
						defer w.close()
						pool = w
					}
					f := c.Setup(pool)
					f()
					b.ResetTimer()
					for b.Loop() {
						f()
					}
					s := b.Elapsed().Seconds() / float64(b.N)
					if c.Flops > 0 {
						b.ReportMetric(c.Flops/s/1e9, "GFLOPS")
					}
					if c.Bytes > 0 {
						b.ReportMetric(c.Bytes/s/1e9, "GB/s")
					}
					b.ReportMetric(c.Elems/s/1e9, "Gelem/s")
				})
			}
		})
	}
}

func BenchmarkSgemm(b *testing.B)              { benchCases(b, "Sgemm") }
func BenchmarkGemv(b *testing.B)               { benchCases(b, "Gemv") }
func BenchmarkExp(b *testing.B)                { benchCases(b, "Exp") }
func BenchmarkTanh(b *testing.B)               { benchCases(b, "Tanh") }
func BenchmarkSigmoid(b *testing.B)            { benchCases(b, "Sigmoid") }
func BenchmarkErf(b *testing.B)                { benchCases(b, "Erf") }
func BenchmarkGeluErf(b *testing.B)            { benchCases(b, "GeluErf") }
func BenchmarkGeluTanh(b *testing.B)           { benchCases(b, "GeluTanh") }
func BenchmarkLog(b *testing.B)                { benchCases(b, "Log") }
func BenchmarkSoftmax(b *testing.B)            { benchCases(b, "Softmax") }
func BenchmarkLogSoftmax(b *testing.B)         { benchCases(b, "LogSoftmax") }
func BenchmarkLayerNorm(b *testing.B)          { benchCases(b, "LayerNorm") }
func BenchmarkSum(b *testing.B)                { benchCases(b, "Sum") }
func BenchmarkMax(b *testing.B)                { benchCases(b, "Max") }
func BenchmarkSumSquares(b *testing.B)         { benchCases(b, "SumSquares") }
func BenchmarkAdd(b *testing.B)                { benchCases(b, "Add") }
func BenchmarkMulScalar(b *testing.B)          { benchCases(b, "MulScalar") }
func BenchmarkAddRow(b *testing.B)             { benchCases(b, "AddRow") }
func BenchmarkDiv(b *testing.B)                { benchCases(b, "Div") }
func BenchmarkMax2(b *testing.B)               { benchCases(b, "Max2") }
func BenchmarkMaxPool(b *testing.B)            { benchCases(b, "MaxPool") }
func BenchmarkAvgPool(b *testing.B)            { benchCases(b, "AvgPool") }
func BenchmarkDepthwiseConv3x3s1(b *testing.B) { benchCases(b, "DepthwiseConv3x3s1") }
func BenchmarkDepthwiseConv3x3s2(b *testing.B) { benchCases(b, "DepthwiseConv3x3s2") }
func BenchmarkIm2col(b *testing.B)             { benchCases(b, "Im2col") }

// TestRunSmoke runs the whole table once, briefly, to keep Run working.
func TestRunSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("measures every kernel")
	}
	n := 0
	err := Run(Options{Kernels: []string{"exp", "sum", "add", "im2col", "sgemm"}, MinTime: 1, Samples: 1, PeakTime: 1},
		nil, func(r Result) {
			n++
			if r.Seconds <= 0 || r.PeakGFLOPS <= 0 {
				t.Errorf("bad result %+v", r)
			}
		})
	if err != nil || n == 0 {
		t.Fatalf("Run: %v (%d results)", err, n)
	}
}
