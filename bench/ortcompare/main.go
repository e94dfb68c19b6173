// Command ortcompare times nncc and ONNX Runtime on the same models in one
// process, the two taking turns (of 200 ms by default, -block-time; of a
// number of runs with -block, single runs with -block 1) so that machine
// noise hits both alike, and prints a table of medians and their ratio.
//
//	eval "$(../../../shared/tools/ort/setup.sh)"
//	go run . -threads 1,2 ../../../shared/models/*/
//
// It lives in its own module because it needs cgo and ONNX Runtime's
// shared library (ORT_LIB), which the main module must not depend on.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/nncc/nncc/conformance"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

func main() {
	threadList := flag.String("threads", "1,2", "comma-separated thread counts")
	runs := flag.Int("runs", 200, "timed runs per engine per model")
	warmup := flag.Int("warmup", 20, "untimed runs per engine first")
	block := flag.Int("block", 1, "runs per engine before switching to the other (turns counted in runs instead of -block-time)")
	blockTime := flag.Duration("block-time", 200*time.Millisecond, "minimum duration of each engine's turn, unless -block is given (0: turns of -block runs); see alternate.go")
	idleProbe := flag.Bool("idle-probe", false, "print to stderr the CPU time each engine's threads use in the 100 ms after its last Run")
	disable := flag.String("disable", "", "comma-separated nncc passes to disable (see nncc passes)")
	alwaysPar := flag.Bool("always-parallel", false, "turn nncc's adaptive parallelism off (runtime.Options.AlwaysParallel)")
	stats := flag.Bool("stats", false, "print to stderr how many nncc runs went parallel and serial (adaptive parallelism)")
	settle := flag.Duration("settle", 0, "pause after each block of runs, so that the engine's spinning threads go idle before the other engine runs (0: none)")
	flag.Var(&ortConfig, "ort-config", "ONNX Runtime session config entry key=value, repeatable (a diagnostic: e.g. session.intra_op.allow_spinning=0; the default is ONNX Runtime's own configuration)")
	flag.Parse()
	if flagSet("block") && !flagSet("block-time") {
		*blockTime = 0 // -block alone: turns counted in runs
	}
	lib := os.Getenv("ORT_LIB")
	if lib == "" {
		log.Fatal("ORT_LIB is not set: eval \"$(../../../shared/tools/ort/setup.sh)\"")
	}
	ort.SetSharedLibraryPath(lib)
	if err := ort.InitializeEnvironment(); err != nil {
		log.Fatal(err)
	}
	defer ort.DestroyEnvironment()
	fmt.Printf("%-28s %7s %12s %12s %8s %10s\n", "model", "threads", "nncc ms", "ort ms", "ratio", "max diff")
	for _, ts := range strings.Split(*threadList, ",") {
		threads, err := strconv.Atoi(ts)
		if err != nil {
			log.Fatal(err)
		}
		for _, dir := range flag.Args() {
			n, o, diff, err := compare(dir, runtime.Options{Threads: threads, DisablePasses: splitList(*disable), AlwaysParallel: *alwaysPar}, *warmup, *runs, schedule{block: *block, blockTime: *blockTime, settle: *settle}, *idleProbe)
			if err != nil {
				log.Fatalf("%s: %v", dir, err)
			}
			fmt.Printf("%-28s %7d %12.4f %12.4f %8.3f %10.2g\n", filepath.Base(filepath.Clean(dir)), threads, ms(n), ms(o), float64(n)/float64(o), diff)
			if *stats {
				fmt.Fprintf(os.Stderr, "  %s: nncc runs parallel %d (median %.4f ms), serial %d (%.4f ms), warm-up included\n", filepath.Base(filepath.Clean(dir)),
					lastStats.Parallel, ms(lastStats.ParallelMedian), lastStats.Serial, ms(lastStats.SerialMedian))
			}
		}
	}
}

// configList is a repeatable key=value flag.
type configList [][2]string

func (c *configList) String() string { return fmt.Sprint(*c) }

func (c *configList) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("want key=value, got %q", v)
	}
	*c = append(*c, [2]string{k, val})
	return nil
}

// ortConfig holds the -ort-config entries.
var ortConfig configList

// lastStats is the adaptive-parallelism record of the last compared session
// (-stats).
var lastStats runtime.ParallelStats

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// compare returns the median latency of nncc and of ONNX Runtime, and the
// largest difference between their float outputs, relative to the
// output's largest magnitude (so the two engines are seen to compute the
// same thing, also on models without reference outputs).
func compare(dir string, nopts runtime.Options, warmup, runs int, sched schedule, idleProbe bool) (time.Duration, time.Duration, float64, error) {
	threads := nopts.Threads
	sess, err := runtime.Load(dir, nopts)
	if err != nil {
		return 0, 0, 0, err
	}
	defer func() { lastStats = sess.ParallelStats(); sess.Close() }()
	feeds, err := conformance.LoadInputs(sess, filepath.Join(dir, "test_data_set_0"))
	if err != nil {
		return 0, 0, 0, err
	}
	var ins []*ir.Tensor
	for _, in := range sess.Inputs() {
		ins = append(ins, feeds[in.Name])
	}
	outs := make([]*ir.Tensor, len(sess.Outputs()))
	ctx := context.Background()
	if err := sess.RunInto(ctx, ins, outs); err != nil {
		return 0, 0, 0, err
	}

	opts, err := ort.NewSessionOptions()
	if err != nil {
		return 0, 0, 0, err
	}
	defer opts.Destroy()
	opts.SetIntraOpNumThreads(threads)
	opts.SetInterOpNumThreads(1)
	opts.SetGraphOptimizationLevel(ort.GraphOptimizationLevelEnableAll)
	for _, kv := range ortConfig {
		if err := opts.AddSessionConfigEntry(kv[0], kv[1]); err != nil {
			return 0, 0, 0, fmt.Errorf("-ort-config %s=%s: %w", kv[0], kv[1], err)
		}
	}
	var inNames, outNames []string
	var ortIns, ortOuts []ort.Value
	for i, in := range sess.Inputs() {
		inNames = append(inNames, in.Name)
		v, err := toORT(ins[i])
		if err != nil {
			return 0, 0, 0, err
		}
		defer v.Destroy()
		ortIns = append(ortIns, v)
	}
	for i, o := range sess.Outputs() {
		outNames = append(outNames, o.Name)
		v, err := toORT(ir.NewTensor(outs[i].DType, outs[i].Shape))
		if err != nil {
			return 0, 0, 0, err
		}
		defer v.Destroy()
		ortOuts = append(ortOuts, v)
	}
	osess, err := ort.NewAdvancedSession(filepath.Join(dir, "model.onnx"), inNames, outNames, ortIns, ortOuts, opts)
	if err != nil {
		return 0, 0, 0, err
	}
	defer osess.Destroy()

	for i := 0; i < warmup; i++ {
		if err := sess.RunInto(ctx, ins, outs); err != nil {
			return 0, 0, 0, err
		}
		if err := osess.Run(); err != nil {
			return 0, 0, 0, err
		}
	}
	if idleProbe {
		fmt.Fprintf(os.Stderr, "  %s, %d threads: CPU time in the %v after the last Run: nncc %v, ONNX Runtime %v\n",
			filepath.Base(filepath.Clean(dir)), threads, probeSpan,
			idleCPU(func() error { return sess.RunInto(ctx, ins, outs) }), idleCPU(osess.Run))
	}
	nt, ot, err := alternate(func() error { return sess.RunInto(ctx, ins, outs) }, osess.Run, runs, sched)
	if err != nil {
		return 0, 0, 0, err
	}
	return median(nt), median(ot), maxDiff(outs, ortOuts), nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func median(d []time.Duration) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}

func toORT(t *ir.Tensor) (ort.Value, error) {
	if len(t.Shape) == 0 {
		// onnxruntime_go's Tensor needs at least one dimension: a rank-0
		// value (Silero VAD's sample rate) is a Scalar.
		switch d := t.Data.(type) {
		case []float32:
			return ort.NewScalar(d[0])
		case []int64:
			return ort.NewScalar(d[0])
		case []int32:
			return ort.NewScalar(d[0])
		case []float64:
			return ort.NewScalar(d[0])
		}
	}
	shape := ort.NewShape(t.Shape...)
	switch d := t.Data.(type) {
	case []float32:
		return ort.NewTensor(shape, d)
	case []int64:
		return ort.NewTensor(shape, d)
	case []int32:
		return ort.NewTensor(shape, d)
	case []float64:
		return ort.NewTensor(shape, d)
	}
	return nil, fmt.Errorf("dtype %v not wired into the comparison", t.DType)
}

// maxDiff returns max |nncc - ort| / max(1, max |ort|) over the float32
// outputs (the scale over ONNX Runtime's finite values); equal values (infinities of the same sign, NaN against NaN)
// differ by 0. An infinity against a finite value gives +Inf.
func maxDiff(outs []*ir.Tensor, ortOuts []ort.Value) float64 {
	var worst float64
	for i, t := range outs {
		got, ok := t.Data.([]float32)
		ot, ok2 := ortOuts[i].(*ort.Tensor[float32])
		if !ok || !ok2 {
			continue
		}
		want := ot.GetData()
		scale := 1.0
		for _, v := range want {
			if a := math.Abs(float64(v)); !math.IsInf(a, 0) {
				scale = max(scale, a) // NaN is never the max
			}
		}
		for j := range want {
			g, w := float64(got[j]), float64(want[j])
			if g == w || math.IsNaN(g) && math.IsNaN(w) {
				continue // equal, infinities included
			}
			worst = max(worst, math.Abs(g-w)/scale)
		}
	}
	return worst
}

// flagSet reports whether the command line set the named flag.
func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
