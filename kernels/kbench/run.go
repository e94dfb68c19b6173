package kbench

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// Result is one measurement (one JSON object of `nncc kernels -json`).
type Result struct {
	Kernel     string  `json:"kernel"`
	ISA        string  `json:"isa"`
	M          int     `json:"m"`
	N          int     `json:"n"`
	K          int     `json:"k"`
	Threads    int     `json:"threads"`
	GFLOPS     float64 `json:"gflops"`
	PeakGFLOPS float64 `json:"peak_gflops"`
	GBytesPerS float64 `json:"gbytes_per_s,omitempty"`
	GElemsPerS float64 `json:"gelems_per_s,omitempty"`
	Seconds    float64 `json:"seconds"`  // median CPU seconds per call (per thread)
	Samples    int     `json:"samples"`  // samples in the median
	CPUClock   bool    `json:"cpu_time"` // false: wall time (no CPU clock here)
	// PairedPct (one-thread SGEMM rows with an FMA peak loop): the median
	// over samples of the rate as a percentage of the peak loop's rate,
	// run for the same FLOPs right after each sample (paired.go).
	PairedPct float64 `json:"paired_pct_of_peak,omitempty"`
	// PairedSpeedup (multi-thread SGEMM rows): the median over samples
	// of the rate per thread-second over the rate of the same product on
	// one thread, the calls alternating (paired.go).
	PairedSpeedup float64 `json:"paired_vs_one_thread,omitempty"`
}

// PercentOfPeak returns GFLOPS as a percentage of the level's FMA peak.
func (r *Result) PercentOfPeak() float64 {
	if r.PeakGFLOPS == 0 {
		return 0
	}
	return 100 * r.GFLOPS / r.PeakGFLOPS
}

// Options selects what Run measures.
type Options struct {
	Levels   []isa.Level   // nil: every supported level
	Kernels  []string      // nil: all; else kernel names to keep (prefix match)
	MinTime  time.Duration // CPU time per sample (default 100ms)
	Samples  int           // samples per median (default 5)
	PeakTime time.Duration // duration of each peak measurement (default 300ms)
}

func (o *Options) defaults() {
	if o.Levels == nil {
		o.Levels = isa.Supported()
	}
	if o.MinTime <= 0 {
		o.MinTime = 100 * time.Millisecond
	}
	if o.Samples <= 0 {
		o.Samples = 5
	}
	if o.PeakTime <= 0 {
		o.PeakTime = 300 * time.Millisecond
	}
}

func (o *Options) wants(kernel string) bool {
	if len(o.Kernels) == 0 {
		return true
	}
	return slices.ContainsFunc(o.Kernels, func(k string) bool { return strings.HasPrefix(kernel, k) })
}

// Peak is the FMA peak of one level on Threads cores: one core's best
// slice (peakOne), or for Threads 2 twice the median per-thread
// rate while two threads ran the loop at once (peakTwo). OneCore is the
// one-core peak (best slice) of the same run; Ratio, for Threads 2, is
// the two-thread rate per thread over one thread's alone, both medians
// of the same slices (1: each core keeps its full peak).
type Peak struct {
	ISA     isa.Level
	GFLOPS  float64
	Threads int
	OneCore float64
	Ratio   float64
}

// Run measures the FMA peak of each level, then every case on every level
// (cases without assembly once, as generic), calling emit with each
// result as soon as it is known. It restores the selected ISA level.
func Run(o Options, peak func(Peak), emit func(Result)) error {
	o.defaults()
	defer isa.Force(isa.Current())()
	peaks := map[isa.Level]float64{}
	for _, l := range o.Levels {
		if !isa.Has(l) {
			return fmt.Errorf("kbench: %v is not supported on this CPU or build", l)
		}
		var g float64
		if fn, flops := peakLoop(l); fn != nil && haveCPUClock {
			g = peakOne(fn, flops, o.PeakTime) // peak1.go: slices that held their CPU
		} else {
			var err error
			if g, err = isa.PeakGFLOPS(l, o.PeakTime); err != nil {
				return err
			}
		}
		peaks[l] = g
		if peak != nil {
			peak(Peak{ISA: l, GFLOPS: g, Threads: 1, OneCore: g})
		}
	}
	// Two cores' peak, measured (not assumed) for the two-thread rows.
	if peak != nil && runtime.NumCPU() >= 2 && (o.wants("fma_peak") || o.wants("sgemm")) {
		for _, l := range o.Levels {
			fn, flops := peakLoop(l)
			if fn == nil {
				continue
			}
			if one, each, slices := peakTwo(fn, flops, o.PeakTime); slices > 0 && one > 0 {
				peak(Peak{ISA: l, GFLOPS: 2 * each, Threads: 2, OneCore: peaks[l], Ratio: each / one})
			}
		}
	}
	pools := map[int]*workers{}
	defer func() {
		for _, w := range pools {
			w.close()
		}
	}()
	for _, c := range Cases() {
		if !o.wants(c.Kernel) {
			continue
		}
		levels := o.Levels
		if !c.Asm {
			levels = []isa.Level{isa.Generic}
		}
		for _, l := range levels {
			if !isa.Has(l) {
				continue
			}
			isa.Force(l)
			var pool sgemm.Pool
			if c.Threads > 1 {
				if pools[c.Threads] == nil {
					pools[c.Threads] = newWorkers(c.Threads)
				}
				pool = pools[c.Threads]
			}
			var sec, paired, speedup float64
			fn, lf := peakLoop(l)
			switch {
			case fn != nil && c.Threads == 1 && c.Kernel == "sgemm" && haveCPUClock:
				sec, paired = measurePaired(c.Setup(pool), c.Flops, fn, lf, o.MinTime, o.Samples)
			case c.Threads > 1 && c.Kernel == "sgemm" && haveCPUClock:
				sec, speedup = measureSpeedup(c.Setup(pool), c.Setup(nil), c.Threads, o.MinTime, o.Samples)
			default:
				sec = Measure(c.Setup(pool), c.Threads, o.MinTime, o.Samples)
			}
			r := Result{PairedPct: 100 * paired, PairedSpeedup: speedup, Kernel: c.Kernel, ISA: l.String(), M: c.M, N: c.N, K: c.K, Threads: c.Threads,
				PeakGFLOPS: peaks[l], Seconds: sec, Samples: o.Samples, CPUClock: haveCPUClock}
			if !c.Asm || l == isa.Generic {
				// Go code: compare with the core's real (best SIMD) peak,
				// not with the scalar Go loop's.
				r.PeakGFLOPS = bestPeak(peaks)
			}
			r.PeakGFLOPS *= float64(c.Threads) // one core's peak per thread
			if sec > 0 {
				r.GFLOPS = c.Flops / sec / 1e9
				r.GBytesPerS = c.Bytes / sec / 1e9
				r.GElemsPerS = c.Elems / sec / 1e9
			}
			emit(r)
		}
	}
	return nil
}

// Measure returns the median over samples of the CPU seconds per call of
// f: thread CPU time on a locked OS thread for one thread, process CPU
// time divided by threads otherwise. Each sample repeats f for at least
// minTime of CPU time (calibrated by a first run).
func Measure(f func(), threads int, minTime time.Duration, samples int) float64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	clock := threadCPU
	if threads > 1 {
		clock = processCPU
	}
	f() // warm up: caches, page faults, packing buffers
	t0 := clock()
	f()
	one := max(clock()-t0, time.Microsecond)
	reps := max(1, int(minTime/one))
	v := make([]float64, samples)
	for i := range v {
		t0 := clock()
		for range reps {
			f()
		}
		el := (clock() - t0).Seconds()
		if threads > 1 {
			el /= float64(threads)
		}
		v[i] = el / float64(reps)
	}
	sort.Float64s(v)
	return v[len(v)/2]
}

// bestPeak returns the highest measured peak (the core's SIMD peak).
func bestPeak(peaks map[isa.Level]float64) float64 {
	best := 0.0
	for _, g := range peaks {
		best = max(best, g)
	}
	return best
}
