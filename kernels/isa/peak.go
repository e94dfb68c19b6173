package isa

import (
	"fmt"
	"time"
)

// peakLoop is one FMA peak routine: fn(n) runs n rounds of flops FLOPs of
// independent register-only fused multiply-adds.
type peakLoop struct {
	fn    func(n int)
	flops int
}

// PeakGFLOPS measures this core's single-precision FMA peak at level l by
// timing a register-only loop of independent FMAs for about d (the best
// of several slices is reported, so noise from other work only lowers the
// count of slices, not the result). It runs on the calling goroutine: one
// core. For Generic it times the pure-Go twin, which is no real peak.
func PeakGFLOPS(l Level, d time.Duration) (float64, error) {
	if !Has(l) {
		return 0, fmt.Errorf("isa: %v is not supported on this CPU or build", l)
	}
	loop := peakLoops[l]
	if loop.fn == nil {
		loop = peakLoop{fn: func(n int) { genericPeak(n) }, flops: 2 * genericLanes}
	}
	// Calibrate a slice of about 2ms.
	n := 1024
	for {
		t0 := time.Now()
		loop.fn(n)
		if el := time.Since(t0); el > 2*time.Millisecond || n > 1<<30 {
			break
		}
		n *= 2
	}
	best := 0.0
	deadline := time.Now().Add(d)
	for i := 0; i < 3 || time.Now().Before(deadline); i++ {
		t0 := time.Now()
		loop.fn(n)
		el := time.Since(t0).Seconds()
		if g := float64(n) * float64(loop.flops) / el / 1e9; g > best {
			best = g
		}
	}
	return best, nil
}

const genericLanes = 8

// genericPeak is the portable loop: 8 independent multiply-add chains.
func genericPeak(n int) {
	var x [genericLanes]float32
	for range n {
		for l := range x {
			x[l] = x[l]*0.5 + 1
		}
	}
	peakSink = x[0]
}

var peakSink float32
