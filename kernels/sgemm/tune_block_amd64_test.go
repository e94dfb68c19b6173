package sgemm

import (
	"fmt"
	"os"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// TestTuneBlock (NNCC_TUNE=1) prints single-thread GFLOPS (thread CPU
// time) of 1024³ and 64×768×768 for several blockings, interleaved so
// that machine noise hits every configuration alike.
func TestTuneBlock(t *testing.T) {
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
	type cfg struct{ kc, nc, mc int }
	cfgs := []cfg{{saved.kc, saved.nc, saved.mc}, {512, 256, 1536}, {768, 256, 1536}, {768, 128, 1536}, {256, 768, 1536}, {512, 512, 1536}}
	for _, sh := range [][3]int{{1024, 1024, 1024}, {64, 768, 768}} {
		m, n, k := sh[0], sh[1], sh[2]
		a, bm, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
		res := make([][]float64, len(cfgs))
		reps := max(1, int(1e9/(2*float64(m*n*k))))
		for range 7 {
			for i, cf := range cfgs {
				kr.kc, kr.nc, kr.mc = cf.kc, cf.nc, cf.mc
				d := onThreadCPU(reps, func() { Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, nil) })
				res[i] = append(res[i], 2*float64(m*n*k)/d.Seconds()/1e9)
			}
		}
		for i, cf := range cfgs {
			fmt.Printf("%v %dx%dx%d kc=%d nc=%d mc=%d: %.1f GFLOPS\n", l, m, n, k, cf.kc, cf.nc, cf.mc, med(res[i]))
		}
	}
}

func randSlice(n int, seed int) []float32 {
	s := make([]float32, n)
	x := uint32(seed*2654435761 + 1)
	for i := range s {
		x = x*1664525 + 1013904223
		s[i] = float32(int(x>>28)-8) / 8
	}
	return s
}

func med(v []float64) float64 {
	w := append([]float64(nil), v...)
	for i := range w {
		for j := i + 1; j < len(w); j++ {
			if w[j] < w[i] {
				w[i], w[j] = w[j], w[i]
			}
		}
	}
	return w[len(w)/2]
}
