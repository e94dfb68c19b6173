package sgemm

import (
	"fmt"
	"sync"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// workers is a benchmark Pool like the runtime's: threads-1 goroutines
// parked on a channel, the caller runs the first chunk.
type workers struct {
	threads int
	jobs    chan job
}

type job struct {
	fn     func(lo, hi int)
	lo, hi int
	wg     *sync.WaitGroup
}

func newWorkers(threads int) *workers {
	w := &workers{threads: threads, jobs: make(chan job, threads)}
	for range threads - 1 {
		go func() {
			for j := range w.jobs {
				j.fn(j.lo, j.hi)
				j.wg.Done()
			}
		}()
	}
	return w
}

func (w *workers) Threads() int { return w.threads }

func (w *workers) For(n, grain int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	chunks := min(w.threads, (n+max(grain, 1)-1)/max(grain, 1))
	if chunks <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	size := (n + chunks - 1) / chunks
	for lo := size; lo < n; lo += size {
		wg.Add(1)
		w.jobs <- job{fn, lo, min(lo+size, n), &wg}
	}
	fn(0, min(size, n))
	wg.Wait()
}

func (w *workers) close() { close(w.jobs) }

var benchShapes = [][3]int{{1024, 1024, 1024}, {64, 768, 768}, {256, 256, 256}}

// BenchmarkSgemm reports GFLOPS per ISA level, shape and thread count:
// BenchmarkSgemm/isa=avx512/1024x1024x1024/threads=1.
func BenchmarkSgemm(b *testing.B) {
	benchGemm(b, false)
}

// BenchmarkSgemmPacked is BenchmarkSgemm with B prepacked (weights).
func BenchmarkSgemmPacked(b *testing.B) {
	benchGemm(b, true)
}

// projectionShapes are an LSTM's input projections (seed_rnn_lstm at
// batch 2: 50 steps × 2 rows, 4·128 gates, inputs of 32 and 128): short
// k, few rows, B prepacked, a bias epilogue.
var projectionShapes = [][3]int{{100, 512, 32}, {100, 512, 128}}

// BenchmarkSgemmProjection reports GFLOPS of the projection shapes on one
// thread with B prepacked and a bias:
// BenchmarkSgemmProjection/isa=avx512/100x512x32.
func BenchmarkSgemmProjection(b *testing.B) {
	for _, l := range isa.Supported() {
		b.Run("isa="+l.String(), func(b *testing.B) {
			defer isa.Force(l)()
			for _, sh := range projectionShapes {
				m, n, k := sh[0], sh[1], sh[2]
				b.Run(fmt.Sprintf("%dx%dx%d", m, n, k), func(b *testing.B) {
					a, bm, c, bias := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n), make([]float32, n)
					for i := range a {
						a[i] = float32(i%7) - 3
					}
					for i := range bm {
						bm[i] = float32(i%5) - 2
					}
					for i := range bias {
						bias[i] = float32(i%3) - 1
					}
					pb := PackB(false, k, n, bm, n)
					ep := &Epilogue{Bias: bias}
					for b.Loop() {
						SgemmPacked(false, m, 1, a, k, pb, 0, c, n, ep, nil)
					}
					b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
				})
			}
		})
	}
}

func benchGemm(b *testing.B, packed bool) {
	for _, l := range isa.Supported() {
		b.Run("isa="+l.String(), func(b *testing.B) {
			defer isa.Force(l)()
			for _, sh := range benchShapes {
				m, n, k := sh[0], sh[1], sh[2]
				b.Run(fmt.Sprintf("%dx%dx%d", m, n, k), func(b *testing.B) {
					for _, threads := range []int{1, 2} {
						b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
							benchOne(b, m, n, k, threads, packed)
						})
					}
				})
			}
		})
	}
}

func benchOne(b *testing.B, m, n, k, threads int, packed bool) {
	a, bm, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	for i := range a {
		a[i] = float32(i%7) - 3
	}
	for i := range bm {
		bm[i] = float32(i%5) - 2
	}
	var pool Pool
	if threads > 1 {
		w := newWorkers(threads)
		defer w.close()
		pool = w
	}
	var pb *PackedB
	if packed {
		pb = PackB(false, k, n, bm, n)
	}
	run := func() {
		if packed {
			SgemmPacked(false, m, 1, a, k, pb, 0, c, n, nil, pool)
		} else {
			Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, pool)
		}
	}
	run()
	b.ResetTimer()
	for b.Loop() {
		run()
	}
	b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
}
