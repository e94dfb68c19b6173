package runtime

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	goruntime "runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// TestStepTimes is a measuring tool, not a check: with NNCC_STEPTIME set to
// a model folder (or .onnx file) it times every plan step of sessions at
// the thread counts in NNCC_STEPTIME_THREADS (default "1,2"), interleaving
// the sessions run by run so that machine noise hits them alike, and
// prints per-step medians, how many pool loops each step made and how
// many of those published a job to the workers. Inputs are random, their
// unknown dimensions NNCC_STEPTIME_DIM (default 1). Without the variable
// it is skipped.
//
//	NNCC_STEPTIME=../../shared/models/seed_cnn_mnist go test ./runtime -run TestStepTimes -v
func TestStepTimes(t *testing.T) {
	path := os.Getenv("NNCC_STEPTIME")
	if path == "" {
		t.Skip("set NNCC_STEPTIME to a model to time its steps")
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, "model.onnx")
	}
	var threads []int
	for _, f := range strings.Split(envOr("NNCC_STEPTIME_THREADS", "1,2"), ",") {
		n, err := strconv.Atoi(f)
		if err != nil {
			t.Fatal(err)
		}
		threads = append(threads, n)
	}
	runs, _ := strconv.Atoi(envOr("NNCC_STEPTIME_RUNS", "500"))
	unknownDim, _ := strconv.Atoi(envOr("NNCC_STEPTIME_DIM", "1"))
	g, err := onnx.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	type setup struct {
		s     *Session
		f     *frame
		pools []*countingPool
		times [][]time.Duration
		total []time.Duration
	}
	var sets []*setup
	var inputs []*ir.Tensor
	// NNCC_STEPTIME_SETENV=NAME=v1,v2,... sets NAME to the i-th value
	// while session i is built (an A/B of a build-time switch that a
	// kernel reads from the environment during an experiment).
	var envName string
	var envVals []string
	if e := os.Getenv("NNCC_STEPTIME_SETENV"); e != "" {
		name, vals, _ := strings.Cut(e, "=")
		envName, envVals = name, strings.Split(vals, ",")
		defer os.Unsetenv(envName)
	}
	for si, n := range threads {
		if envName != "" && si < len(envVals) {
			os.Setenv(envName, envVals[si])
		}
		// Every Run of a session uses its thread count (no adaptive
		// parallelism) unless NNCC_STEPTIME_ADAPTIVE is set.
		s, err := NewSession(ir.Clone(g), Options{Threads: n, AlwaysParallel: os.Getenv("NNCC_STEPTIME_ADAPTIVE") == ""})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if inputs == nil && os.Getenv("NNCC_STEPTIME_DATA") != "" {
			// The model folder's test_data_set_0 (as nncc bench uses).
			for i := range s.Inputs() {
				x, _, err := onnx.ReadTensorFile(filepath.Join(filepath.Dir(path), "test_data_set_0", fmt.Sprintf("input_%d.pb", i)))
				if err != nil {
					t.Fatal(err)
				}
				inputs = append(inputs, x)
			}
		}
		if inputs == nil {
			rng := rand.New(rand.NewSource(1))
			for _, in := range s.Inputs() {
				shape := make([]int64, len(in.Type.Shape))
				for i, d := range in.Type.Shape {
					shape[i] = int64(unknownDim)
					if d.Known() {
						shape[i] = d.Size
					}
				}
				x := ir.NewTensor(in.Type.DType, shape)
				if d, ok := x.Data.([]float32); ok {
					for i := range d {
						d[i] = rng.Float32()*2 - 1
					}
				}
				inputs = append(inputs, x)
			}
		}
		c, err := s.planFor(inputs)
		if err != nil {
			t.Fatal(err)
		}
		st := &setup{s: s, f: newFrame(s, c.plan, nil)}
		for i := range st.f.ctxs {
			cp := &countingPool{p: s.pool}
			st.pools = append(st.pools, cp)
			st.f.ctxs[i].Pool = cp
		}
		st.times = make([][]time.Duration, len(c.plan.Steps))
		sets = append(sets, st)
	}
	// NNCC_STEPTIME_CPU=1 times steps by the thread's CPU time (1-thread
	// sessions on a busy machine: descheduled time does not count).
	start := time.Now()
	clock := func() time.Duration { return time.Since(start) }
	if os.Getenv("NNCC_STEPTIME_CPU") != "" {
		goruntime.LockOSThread()
		defer goruntime.UnlockOSThread()
		clock = func() time.Duration {
			var ts unix.Timespec
			unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
			return time.Duration(ts.Nano())
		}
	}
	ctx := context.Background()
	for r := range runs + 20 {
		for _, st := range sets {
			f := st.f
			for i, slot := range f.plan.Inputs {
				f.vals[slot] = inputs[i]
			}
			f.runCtx = ctx
			st.s.pool.prime() // as frame.run does when its first parallel step comes early
			t0 := clock()
			prev := t0
			for si := range f.plan.Steps {
				if err := f.step(si, &f.plan.Steps[si]); err != nil {
					t.Fatal(err)
				}
				now := clock()
				if r >= 20 {
					st.times[si] = append(st.times[si], now-prev)
				}
				prev = now
			}
			if r >= 20 {
				st.total = append(st.total, prev-t0)
			}
			if r == 19 {
				for _, p := range st.pools {
					p.loops.Store(0)
					p.handoffs.Store(0)
					p.busy.Store(0)
					p.wall.Store(0)
					p.parked.Store(0)
					p.maxc.Store(0)
				}
			}
		}
	}
	// Whole Runs through RunInto, interleaved the same way, for the
	// per-Run overhead outside the steps.
	runTimes := make([][]time.Duration, len(sets))
	outs := make([][]*ir.Tensor, len(sets))
	for i, st := range sets {
		outs[i] = make([]*ir.Tensor, len(st.s.Outputs()))
	}
	for r := range runs + 20 {
		for i, st := range sets {
			t0 := time.Now()
			if err := st.s.RunInto(ctx, inputs, outs[i]); err != nil {
				t.Fatal(err)
			}
			if r >= 20 {
				runTimes[i] = append(runTimes[i], time.Since(t0))
			}
		}
	}
	med := func(d []time.Duration) float64 {
		s := append([]time.Duration(nil), d...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return float64(s[len(s)/2]) / 1e3
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-4s %-24s %-40s", "step", "op", "output")
	for _, n := range threads {
		fmt.Fprintf(&b, " %7s %9s %4s %4s %4s", fmt.Sprintf("%dt µs", n), "loops/ho", "par", "max", "park")
	}
	b.WriteString("\n")
	plan := sets[0].f.plan
	for si, step := range plan.Steps {
		name := ""
		if len(step.Out) > 0 && step.Out[0] >= 0 {
			sl := plan.Slots[step.Out[0]]
			name = fmt.Sprint(sl.Shape)
		}
		fmt.Fprintf(&b, "%-4d %-24s %-40s", si, step.Node.Op, name)
		for _, st := range sets {
			p := st.pools[si]
			par, mx := 0.0, 0.0
			if w := p.wall.Load(); w > 0 {
				par = float64(p.busy.Load()) / float64(w)
				mx = float64(p.maxc.Load()) / float64(w)
			}
			fmt.Fprintf(&b, " %7.2f %4.1f/%-4.1f %4.2f %4.2f %4.2f", med(st.times[si]), float64(p.loops.Load())/float64(runs), float64(p.handoffs.Load())/float64(runs), par, mx, float64(p.parked.Load())/float64(runs))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%-70s", "total (median of runs)")
	for _, st := range sets {
		fmt.Fprintf(&b, " %7.2f %24s", med(st.total), "")
	}
	fmt.Fprintf(&b, "\n%-70s", "RunInto (median of runs)")
	for i := range sets {
		fmt.Fprintf(&b, " %7.2f %24s", med(runTimes[i]), "")
	}
	t.Log("\n" + b.String())
}

// countingPool counts a step's parallel loops and those that could reach
// the workers (more than one chunk).
type countingPool struct {
	p               kernels.Pool
	loops, handoffs atomic.Int64
	// busy and wall sum the chunks' running time and the loops' wall
	// time (ns): busy/wall near 1 means one thread did the work.
	busy, wall atomic.Int64
	// parked counts loops that found a worker parked; maxc sums the
	// longest chunk over the loops' wall time (ns).
	parked, maxc atomic.Int64
}

func (c *countingPool) For(n, grain int, fn func(lo, hi int)) {
	c.loops.Add(1)
	if min(c.p.Threads(), (n+max(grain, 1)-1)/max(grain, 1)) > 1 {
		c.handoffs.Add(1)
	}
	if wp, ok := c.p.(*workerPool); ok && wp.sleepers.Load() > 0 {
		c.parked.Add(1)
	}
	t0 := time.Now()
	var longest atomic.Int64
	c.p.For(n, grain, func(lo, hi int) {
		t := time.Now()
		fn(lo, hi)
		d := int64(time.Since(t))
		c.busy.Add(d)
		for {
			l := longest.Load()
			if d <= l || longest.CompareAndSwap(l, d) {
				break
			}
		}
	})
	c.wall.Add(int64(time.Since(t0)))
	c.maxc.Add(longest.Load())
}

func (c *countingPool) Threads() int { return c.p.Threads() }

// Rest passes the hint on (kernels.Rester).
func (c *countingPool) Rest() { kernels.Rest(c.p) }
