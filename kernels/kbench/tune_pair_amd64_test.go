package kbench

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/nncc/nncc/kernels/isa"
)

// measurePairedChunks is measurePaired with the peak loop run after
// each chunk of calls of about pairChunk instead of after each sample.
func measurePairedChunks(f func(), flops float64, loop func(int), loopFlops float64, minTime time.Duration, samples int) (sec, ratio float64) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	f()
	t0 := threadCPU()
	f()
	one := max(threadCPU()-t0, time.Microsecond)
	per, reps := chunks(one, max(1, int(minTime/one)))
	rounds := max(1, int(float64(per)*flops/loopFlops))
	secs := make([]float64, samples)
	ratios := make([]float64, samples)
	for i := range secs {
		var el, pl time.Duration
		for range reps / per {
			t0 := threadCPU()
			for range per {
				f()
			}
			t1 := threadCPU()
			loop(rounds)
			el += t1 - t0
			pl += threadCPU() - t1
		}
		secs[i] = el.Seconds() / float64(reps)
		if el > 0 && pl > 0 {
			ratios[i] = (float64(per) * flops / el.Seconds()) / (float64(rounds) * loopFlops / pl.Seconds())
		}
	}
	return median(secs), median(ratios)
}

// TestTunePairing (NNCC_TUNE=1) runs the pairing of measurePaired (whole
// samples) and a chunked one alternately on the one-thread SGEMM cases,
// eight times each, and prints the sorted paired percentages. Session 6,
// load average 14-15 on the two vCPUs: AVX-512 1024³ whole 83.0-91.7
// (median 90.4) against chunks 84.6-91.0 (89.2); 64×768×768 86.4-92.8
// (89.1) against 86.0-88.9 (87.6); AVX2 1024³ 85.7-95.8 (90.4) against
// 88.5-93.1 (90.8); AVX2 64×768×768 69.3-93.8 (88.1) against 71.1-90.1
// (86.9). No reason to change.
func TestTunePairing(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	for _, l := range []isa.Level{isa.AVX512, isa.AVX2} {
		func() {
			defer isa.Force(l)()
			fn, lf := peakLoop(l)
			for _, c := range Cases() {
				if c.Kernel != "sgemm" || c.Threads != 1 {
					continue
				}
				f := c.Setup(nil)
				var s5, s6 []float64
				for range 8 {
					_, r := measurePaired(f, c.Flops, fn, lf, 100*time.Millisecond, 5)
					s5 = append(s5, 100*r)
					_, r = measurePairedChunks(f, c.Flops, fn, lf, 100*time.Millisecond, 5)
					s6 = append(s6, 100*r)
				}
				sort.Float64s(s5)
				sort.Float64s(s6)
				fmt.Printf("%v %dx%dx%d whole samples %.1f\n", l, c.M, c.N, c.K, s5)
				fmt.Printf("%v %dx%dx%d chunks        %.1f\n", l, c.M, c.N, c.K, s6)
			}
		}()
	}
}
