package sgemm

import (
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// TestTune prints single-thread GFLOPS by thread CPU time (NNCC_TUNE=1).
func TestTune(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	peak512 := median(5, func() float64 {
		d := onThreadCPU(1, func() { amd64.FMAPeakAVX512(1 << 20) })
		return 768 * float64(1<<20) / d.Seconds() / 1e9
	})
	peak2 := median(5, func() float64 {
		d := onThreadCPU(1, func() { amd64.FMAPeakAVX2(1 << 20) })
		return 192 * float64(1<<20) / d.Seconds() / 1e9
	})
	fmt.Printf("peak avx512 %.1f avx2 %.1f\n", peak512, peak2)
	for _, l := range []isa.Level{isa.AVX512, isa.AVX2} {
		restore := isa.Force(l)
		for _, sh := range benchShapes {
			m, n, k := sh[0], sh[1], sh[2]
			a, bm, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
			pb := PackB(false, k, n, bm, n)
			for _, packed := range []bool{false, true} {
				reps := max(1, int(2e9/(2*float64(m*n*k))))
				g := median(5, func() float64 {
					d := onThreadCPU(reps, func() {
						if packed {
							SgemmPacked(false, m, 1, a, k, pb, 0, c, n, nil, nil)
						} else {
							Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, nil)
						}
					})
					return 2 * float64(m*n*k) / d.Seconds() / 1e9
				})
				w := newWorkers(2)
				g2 := median(5, func() float64 {
					t0, p0 := time.Now(), processCPU()
					for range reps {
						if packed {
							SgemmPacked(false, m, 1, a, k, pb, 0, c, n, nil, w)
						} else {
							Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, w)
						}
					}
					_ = t0
					return 2 * float64(m*n*k) * float64(reps) / (processCPU() - p0).Seconds() / 1e9
				})
				w.close()
				fmt.Printf("%v %dx%dx%d packed=%v: 1 thread %.1f GFLOPS (%.0f%% of peak); 2 threads %.1f GFLOPS per CPU-second (work efficiency %.0f%%)\n",
					l, m, n, k, packed, g, 100*g/map[isa.Level]float64{isa.AVX512: peak512, isa.AVX2: peak2}[l], g2, 100*g2/g)
			}
		}
		restore()
	}
}

func median(n int, f func() float64) float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = f()
	}
	sort.Float64s(v)
	return v[n/2]
}
