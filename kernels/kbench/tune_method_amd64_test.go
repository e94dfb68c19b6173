package kbench

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// TestTuneMethod (NNCC_TUNE=1) times the FMA peak loop and SGEMM 1024³
// the same way, interleaved: thread CPU time per call of about the same
// length, many samples; prints median, p90 and max of each and the
// isa.PeakGFLOPS best slice. On the session-5 VM under load (load average
// 6-10 on two vCPUs) the AVX-512 peak loop timed like SGEMM had its
// median at 202 GFLOPS against a best 2 ms slice of 227.5 (89%; AVX2 107
// against 113.5, 94%), SGEMM 176.6 (87% of the loop's median, 78% of the
// best slice): the reason for paired_pct_of_peak (paired.go).
func TestTuneMethod(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	for _, l := range []isa.Level{isa.AVX512, isa.AVX2} {
		func() {
			defer isa.Force(l)()
			fn, flops := peakLoop(l)
			const m = 1024
			a, b, c := randSlice(m*m, 3, 1), randSlice(m*m, 4, 1), make([]float32, m*m)
			gemm := func() { sgemm.Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) }
			gflops := 2.0 * m * m * m
			rounds := int(gflops / flops) // same FLOPs as one product
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			gemm()
			fn(rounds)
			var pk, gm, pkw, gmw []float64
			for range 60 {
				w0, t0 := time.Now(), threadCPU()
				fn(rounds)
				t1, w1 := threadCPU(), time.Now()
				pk = append(pk, gflops/(t1-t0).Seconds()/1e9)
				pkw = append(pkw, gflops/w1.Sub(w0).Seconds()/1e9)
				w0, t0 = time.Now(), threadCPU()
				gemm()
				t1, w1 = threadCPU(), time.Now()
				gm = append(gm, gflops/(t1-t0).Seconds()/1e9)
				gmw = append(gmw, gflops/w1.Sub(w0).Seconds()/1e9)
			}
			best, _ := isa.PeakGFLOPS(l, 300*time.Millisecond)
			st := func(v []float64) string {
				sort.Float64s(v)
				return fmt.Sprintf("med %6.1f p90 %6.1f max %6.1f", v[len(v)/2], v[len(v)*9/10], v[len(v)-1])
			}
			fmt.Printf("%v PeakGFLOPS best 2ms slice %.1f\n", l, best)
			fmt.Printf("%v peak loop cpu  %s\n", l, st(pk))
			fmt.Printf("%v peak loop wall %s\n", l, st(pkw))
			fmt.Printf("%v sgemm     cpu  %s\n", l, st(gm))
			fmt.Printf("%v sgemm     wall %s\n", l, st(gmw))
		}()
	}
}
