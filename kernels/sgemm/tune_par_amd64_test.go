package sgemm

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/nncc/nncc/kernels/isa"
)

// TestTunePar (NNCC_TUNE=1) compares blockings on one and two threads,
// interleaved: GFLOPS per thread-CPU-second (one thread) and per
// process-CPU-second/threads (two threads), like nncc kernels.
func TestTunePar(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := isa.AVX512
	if s := os.Getenv("NNCC_TUNE_ISA"); s != "" {
		l, _ = isa.Parse(s)
	}
	defer isa.Force(l)()
	kr := kernelFor(l)
	saved := *kr
	defer func() { *kr = saved }()
	type cfg struct{ kc, nc, direct int }
	cfgs := []cfg{{saved.kc, saved.nc, directBRows}, {saved.kc, saved.nc, 0}, {384, 256, directBRows}}
	savedDirect := directBRows
	defer func() { directBRows = savedDirect }()
	w := newWorkers(2)
	defer w.close()
	for _, sh := range [][3]int{{1024, 1024, 1024}, {64, 768, 768}} {
		m, n, k := sh[0], sh[1], sh[2]
		a, bm, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
		res1 := make([][]float64, len(cfgs))
		res2 := make([][]float64, len(cfgs))
		reps := max(1, int(2e9/(2*float64(m*n*k))))
		for range 7 {
			for i, cf := range cfgs {
				kr.kc, kr.nc, directBRows = cf.kc, cf.nc, cf.direct
				d := onThreadCPU(reps, func() { Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, nil) })
				res1[i] = append(res1[i], 2*float64(m*n*k)/d.Seconds()/1e9)
				p0 := processCPU()
				for range reps {
					Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, w)
				}
				el := (processCPU() - p0) / 2 / time.Duration(reps)
				res2[i] = append(res2[i], 2*float64(m*n*k)/el.Seconds()/1e9)
			}
		}
		for i, cf := range cfgs {
			g1, g2 := med(res1[i]), med(res2[i])
			fmt.Printf("%v %dx%dx%d kc=%d nc=%d directBRows=%d: 1 thread %.1f, 2 threads %.1f GFLOPS (%.2fx)\n", l, m, n, k, cf.kc, cf.nc, cf.direct, g1, g2, g2/g1)
		}
	}
}
