package runtime

import (
	"context"
	"runtime"
	"sort"
	"time"

	"github.com/nncc/nncc/ir"
)

// BenchOptions configures Session.Benchmark.
type BenchOptions struct {
	Warmup  int           // untimed runs first (default 10)
	MinRuns int           // at least this many timed runs (default 20)
	MinTime time.Duration // and at least this much timed work (default 1 s)
	MaxRuns int           // at most this many timed runs (default 100000)
}

// BenchResult summarises timed runs. Durations are per Run.
type BenchResult struct {
	Runs                      int
	Median, P90, Min, Mean    time.Duration
	Throughput                float64 // runs per second at the median
	Threads                   int
	ArenaBytes                int64  // the plan's arena
	HeapBytes                 uint64 // Go heap in use after the runs
	AllocsPerRun, BytesPerRun float64
}

// Benchmark runs the model repeatedly on inputs (in Inputs() order) with
// preallocated outputs and reports latency statistics.
func (s *Session) Benchmark(ctx context.Context, inputs []*ir.Tensor, o BenchOptions) (BenchResult, error) {
	if o.Warmup <= 0 {
		o.Warmup = 10
	}
	if o.MinRuns <= 0 {
		o.MinRuns = 20
	}
	if o.MinTime <= 0 {
		o.MinTime = time.Second
	}
	if o.MaxRuns <= 0 {
		o.MaxRuns = 100000
	}
	outs := make([]*ir.Tensor, len(s.outputs))
	// Loading leaves garbage, and a collection during the timed runs would
	// empty the kernels' sync.Pools, whose next uses allocate again
	// (internal/allocstest): collect it before the warm-up, so that
	// AllocsPerRun counts what recurs Run after Run.
	runtime.GC()
	for i := 0; i < o.Warmup; i++ {
		if err := s.RunInto(ctx, inputs, outs); err != nil {
			return BenchResult{}, err
		}
	}
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	times := make([]time.Duration, 0, min(o.MaxRuns, 1<<16)) // appends would count as allocations
	var total time.Duration
	for len(times) < o.MaxRuns && (len(times) < o.MinRuns || total < o.MinTime) {
		t0 := time.Now()
		if err := s.RunInto(ctx, inputs, outs); err != nil {
			return BenchResult{}, err
		}
		d := time.Since(t0)
		times = append(times, d)
		total += d
	}
	runtime.ReadMemStats(&ms1)
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	r := BenchResult{
		Runs:    len(times),
		Median:  times[len(times)/2],
		P90:     times[len(times)*9/10],
		Min:     times[0],
		Mean:    total / time.Duration(len(times)),
		Threads: s.pool.Threads(),
	}
	r.Throughput = float64(time.Second) / float64(r.Median)
	r.HeapBytes = ms1.HeapInuse
	r.AllocsPerRun = float64(ms1.Mallocs-ms0.Mallocs) / float64(len(times))
	r.BytesPerRun = float64(ms1.TotalAlloc-ms0.TotalAlloc) / float64(len(times))
	if st, err := s.PlanStats(inputs); err == nil {
		r.ArenaBytes = st.ArenaBytes
	}
	return r, nil
}
