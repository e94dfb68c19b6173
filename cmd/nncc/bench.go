package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/nncc/nncc/conformance"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

func benchCmd(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	threads := fs.Int("threads", 1, "threads")
	isaName := fs.String("isa", "auto", "kernel ISA level: auto, generic, avx2, avx512, neon (a .nnc file runs at its own)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	minTime := fs.Duration("time", 2*time.Second, "minimum timed duration")
	warmup := fs.Int("warmup", 10, "untimed warm-up runs")
	alwaysPar := fs.Bool("always-parallel", false, "turn adaptive parallelism off: every run uses all threads")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the timed runs to `file` (go tool pprof)")
	var inputs inputFlags
	fs.Var(&inputs, "i", "input `name=file` (.npy or .pb); repeatable")
	model, rest := splitModelArg(args)
	fs.Parse(rest)
	if model == "" {
		if fs.NArg() != 1 {
			return fmt.Errorf("usage: nncc bench MODEL [-threads N] [-isa LEVEL] [-json] [-i name=file ...]")
		}
		model = fs.Arg(0)
	}
	sess, err := runtime.Load(model, runtime.Options{Threads: *threads, ISA: *isaName, AlwaysParallel: *alwaysPar})
	if err != nil {
		return err
	}
	defer sess.Close()
	feeds, err := benchInputs(sess, model, inputs)
	if err != nil {
		return err
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	r, err := sess.Benchmark(context.Background(), feeds, runtime.BenchOptions{Warmup: *warmup, MinTime: *minTime})
	if err != nil {
		return err
	}
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	ps := sess.ParallelStats()
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(map[string]any{
			"model": model, "runs": r.Runs, "threads": r.Threads, "isa": sess.ISA().String(),
			"median_ms": ms(r.Median), "p90_ms": ms(r.P90), "min_ms": ms(r.Min), "mean_ms": ms(r.Mean),
			"throughput_per_s": r.Throughput, "arena_bytes": r.ArenaBytes, "heap_bytes": r.HeapBytes,
			"allocs_per_run": r.AllocsPerRun, "adaptive": ps.Adaptive,
			"parallel_runs": ps.Parallel, "serial_runs": ps.Serial,
		})
	}
	fmt.Printf("%s: %d runs, %d threads, isa %v\n", model, r.Runs, r.Threads, sess.ISA())
	if ps.Adaptive {
		fmt.Printf("  adaptive parallelism: %d runs parallel, %d serial (warm-up included)\n", ps.Parallel, ps.Serial)
	}
	fmt.Printf("  median %.4f ms  p90 %.4f ms  min %.4f ms  mean %.4f ms\n", ms(r.Median), ms(r.P90), ms(r.Min), ms(r.Mean))
	fmt.Printf("  throughput %.1f runs/s\n", r.Throughput)
	fmt.Printf("  memory: arena %d bytes, Go heap in use %d bytes, %.1f allocs/run\n", r.ArenaBytes, r.HeapBytes, r.AllocsPerRun)
	return nil
}

// benchInputs takes -i files, else a test folder's test_data_set_0; a bare
// model file gets seeded pseudo-random inputs (never all zeros).
func benchInputs(sess *runtime.Session, model string, specs inputFlags) ([]*ir.Tensor, error) {
	byName := map[string]*ir.Tensor{}
	for _, spec := range specs {
		name, file, ok := cutSpec(spec)
		if !ok {
			return nil, fmt.Errorf("-i %q: want name=file", spec)
		}
		t, err := readInput(sess, name, file)
		if err != nil {
			return nil, err
		}
		byName[name] = t
	}
	if len(specs) == 0 {
		if fi, err := os.Stat(model); err == nil && fi.IsDir() {
			if m, err := conformance.LoadInputs(sess, filepath.Join(model, "test_data_set_0")); err == nil {
				byName = m
			}
		}
	}
	var out []*ir.Tensor
	for i, in := range sess.Inputs() {
		t, ok := byName[in.Name]
		if !ok {
			var err error
			if t, err = randomInput(in, uint64(i+1)); err != nil {
				return nil, err
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// startCPUProfile starts Go's CPU profiler writing to path and returns the
// function that stops it and closes the file.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func cutSpec(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '=' {
			return s[:i], s[i+1:], true
		}
	}
	return "", "", false
}

// randomInput fills a tensor for in (symbolic dims set to 1) with a
// deterministic xorshift sequence: floats in [-1, 1), integers in [0, 10).
func randomInput(in runtime.IOInfo, seed uint64) (*ir.Tensor, error) {
	if in.Type.Kind != ir.KindTensor || !in.Type.RankKnown {
		return nil, fmt.Errorf("input %q (%v): give it with -i", in.Name, in.Type)
	}
	shape := make([]int64, len(in.Type.Shape))
	for i, d := range in.Type.Shape {
		shape[i] = 1
		if d.Known() {
			shape[i] = d.Size
		}
	}
	t := ir.NewTensor(in.Type.DType, shape)
	x := seed*0x9E3779B97F4A7C15 | 1
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	switch d := t.Data.(type) {
	case []float32:
		for i := range d {
			d[i] = float32(next()>>40)/float32(1<<23) - 1
		}
	case []float64:
		for i := range d {
			d[i] = float64(next()>>11)/float64(1<<52) - 1
		}
	case []int64:
		for i := range d {
			d[i] = int64(next() % 10)
		}
	case []int32:
		for i := range d {
			d[i] = int32(next() % 10)
		}
	default:
		return nil, fmt.Errorf("input %q (%v): give it with -i", in.Name, in.Type)
	}
	return t, nil
}
