package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/kbench"
)

// kernelsCmd measures the FMA peak per ISA level, then SGEMM and the
// vector kernels per level (package kbench does the work).
func kernelsCmd(args []string) error {
	fs := flag.NewFlagSet("kernels", flag.ExitOnError)
	asJSON := fs.Bool("json", false, "print one JSON object per measurement")
	levels := fs.String("isa", "", "comma-separated ISA levels (default: every supported one)")
	only := fs.String("k", "", "comma-separated kernel names (prefixes) to run (default: all)")
	minTime := fs.Duration("time", 100*time.Millisecond, "CPU time per sample")
	samples := fs.Int("samples", 5, "samples per median")
	peakTime := fs.Duration("peak-time", 300*time.Millisecond, "duration of each FMA peak measurement")
	fs.Parse(args)
	if fs.NArg() != 0 {
		return fmt.Errorf("usage: nncc kernels [-json] [-isa LIST] [-k LIST] [-time D] [-samples N]")
	}
	o := kbench.Options{MinTime: *minTime, Samples: *samples, PeakTime: *peakTime}
	if *levels != "" {
		for _, s := range strings.Split(*levels, ",") {
			l, err := isa.Parse(strings.TrimSpace(s))
			if err != nil {
				return err
			}
			if !isa.Has(l) {
				return fmt.Errorf("%v is not supported on this CPU or build", l)
			}
			o.Levels = append(o.Levels, l)
		}
	}
	if *only != "" {
		o.Kernels = strings.Split(*only, ",")
	}
	enc := json.NewEncoder(os.Stdout)
	peak := func(p kbench.Peak) {
		if *asJSON {
			// peak_gflops is one core's peak times the threads, as in the
			// kernel rows: a two-thread row below 100% shows that two busy
			// cores each run slower than one alone.
			row := map[string]any{"kernel": "fma_peak", "isa": p.ISA.String(), "m": 0, "n": 0, "k": 0,
				"threads": p.Threads, "gflops": p.GFLOPS, "peak_gflops": p.OneCore * float64(p.Threads)}
			if p.Threads > 1 {
				row["per_thread_vs_one"] = p.Ratio
			}
			enc.Encode(row)
			return
		}
		if p.Threads == 1 {
			fmt.Printf("FMA peak %-8s %8.1f GFLOPS (one core)\n", p.ISA, p.GFLOPS)
			return
		}
		fmt.Printf("FMA peak %-8s %8.1f GFLOPS (%d cores at once: each at %.1f%% of one core alone)\n", p.ISA, p.GFLOPS, p.Threads, 100*p.Ratio)
	}
	header := false
	emit := func(r kbench.Result) {
		if *asJSON {
			enc.Encode(r)
			return
		}
		if !header {
			fmt.Printf("\n%-14s %-8s %5s %8s %5s %3s %9s %6s %9s %9s\n", "kernel", "isa", "m", "n", "k", "thr", "GFLOPS", "%peak", "GB/s", "Gelem/s")
			header = true
		}
		gb := "-"
		if r.GBytesPerS > 0 {
			gb = fmt.Sprintf("%.2f", r.GBytesPerS)
		}
		paired := ""
		if r.PairedPct > 0 {
			paired = fmt.Sprintf("  (paired %.1f%%)", r.PairedPct)
		}
		if r.PairedSpeedup > 0 {
			paired = fmt.Sprintf("  (paired %.2fx one thread)", r.PairedSpeedup)
		}
		fmt.Printf("%-14s %-8s %5d %8d %5d %3d %9.2f %5.1f%% %9s %9.3f%s\n", r.Kernel, r.ISA, r.M, r.N, r.K, r.Threads,
			r.GFLOPS, r.PercentOfPeak(), gb, r.GElemsPerS, paired)
	}
	if !*asJSON {
		fmt.Println("CPU-time medians; threads>1 counts process CPU time per thread (see package kbench).")
	}
	return kbench.Run(o, peak, emit)
}
