package kernels

import (
	"sync/atomic"
	"time"
)

// TEMPORARY probe (cnn2t measurement, to be removed): worker arrival delay
// in ConvMaxPoolNCHWc parallel loops.
var (
	ProbeLoops, ProbeLate, ProbeMissed atomic.Int64
	ProbeHist                          [8]atomic.Int64 // <1,<2,<5,<10,<20,<50,<100,>=100 µs
)

func probeArrive(start time.Time) {
	d := time.Since(start)
	us := d.Microseconds()
	i := 7
	for k, lim := range []int64{1, 2, 5, 10, 20, 50, 100} {
		if us < lim {
			i = k
			break
		}
	}
	ProbeHist[i].Add(1)
}
