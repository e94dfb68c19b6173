package runtime

import "time"

// Adaptive parallelism: whether splitting a Run's loops over the session's
// threads pays is decided from the session's own Run times, because it
// depends on the machine of the moment, not only on the model. On a shared
// machine with more runnable threads than cores (another engine's threads
// polling after its own run, other processes) a worker that claimed a chunk
// and was descheduled makes the caller wait, and a small model whose
// parallel Runs are 1.4x faster alone runs 1.7x slower than serially. A
// top-level frame therefore runs each Run in one of two arms, parallel (the
// kernels see the session's pool) or serial (they see kernels.Serial: every
// loop runs on the caller and the workers stay parked), keeps the recent
// Run times of each arm, uses the arm with the lower median and now and
// then tries the other one again, so that it returns to parallel when the
// machine quietens. Options.AlwaysParallel turns it off.
//
// The unit is the whole Run, not the step: a parallel step's worth depends
// on whether the workers are awake, which the steps before it decide, and
// the Run time is what the caller pays.

// parArm names the two ways a Run can use the threads.
type parArm uint8

const (
	armParallel parArm = iota
	armSerial
	armNone // no Run yet
)

func (a parArm) String() string {
	switch a {
	case armParallel:
		return "parallel"
	case armSerial:
		return "serial"
	}
	return "none"
}

// The controller's constants. A median over adaptSamples recent Runs of an
// arm is robust to a few outliers (a Run preempted by the kernel, a GC)
// and to a parallel arm whose Runs are bimodal: with -block 10 against
// another engine the first Runs of each block find its spinning threads
// on the second core, and over 7 Runs the parallel median crossed the
// serial one by chance often enough to send a 70 µs model to its 81 µs
// serial arm for a fifth of its Runs (the median of 200 simulated
// sequences of this controller fed with those Run time distributions:
// parallel 63 µs with a p90 of 107, the first 2 Runs of every 10 at 150;
// serial 81 µs). Over 15 Runs: 3% of its Runs, median 71.4 µs
// (NNCC_SIM=1 go test ./runtime -run TestAdaptiveSimulated -v). An arm is
// used on its median once it holds adaptMinSamples; an exploration lasts
// at most exploreTries warm Runs. The other arm is explored again when
// its newest sample is a period of Runs old. The
// period is exploreRuns after the warm-up; it drops to exploreMinRuns
// after a switch (a switch caused by a burst of noise is undone soon) and
// doubles with each exploration that finds the arm in use still better, up
// to exploreRuns Runs and an age (the later of the two): exploreRunsAge
// Runs at the arm in use's median, within [exploreMinAge, exploreMaxAge].
// An exploration runs the worse arm two or three times, so exploring costs
// about a percent of the time at most, and a model of a few microseconds,
// whose best arm changes when another engine's spinning threads stop (some
// 40 ms after its last Run, bench/ortcompare -idle-probe), is back on it
// within 10 ms instead of 50. The arm in use is left only for one whose
// median is better by a margin (no flapping between equal arms), and the
// margin is wider for going serial (25%: with 15%, a small CNN alone
// whose parallel Runs were 20% faster ran 60% of its Runs serially): a
// parallel Run of a large model is as noisy as the machine, and mistaking
// noise for a serial win costs it half its speed, while the
// Runs that really lose to serial lose by far more (a small CNN in
// alternation with another engine: 0.159 ms parallel, 0.092 serial).
//
// Runs whose parallel median reaches serialMaxRun always use the threads:
// what going serial saves is a per-loop cost (a worker descheduled in its
// chunk, waking or polling workers), which long loops amortise, while the
// noise of a busy machine over Runs that long is larger than any gain and
// a mistaken serial choice costs a large model half its speed.
const (
	serialMaxRun     = 5 * time.Millisecond
	adaptSamples     = 15
	adaptMinSamples  = 3
	exploreTries     = 7
	exploreMinRuns   = 8
	exploreRuns      = 64
	exploreRunsAge   = 300
	exploreMinAge    = 10 * time.Millisecond
	exploreMaxAge    = 50 * time.Millisecond
	toParallelMargin = 0.03
	toSerialMargin   = 0.25
	exploreLosses    = 2
)

// adaptive chooses the arm of each Run of one frame from its measured Run
// times. It is not safe for concurrent use: each frame (one per concurrent
// Run) has its own.
//
// A sample is kept only when the Run before used the same arm: the first
// Run after a switch pays for it (workers waking, or still polling from
// the last parallel loop), which is not what the arm costs in a row. So an
// exploration runs the other arm at least twice.
//
// Arms are compared under the same conditions, as far as the machine
// allows: the arm in use has the samples of its last Runs, and an
// exploration drops the explored arm's old samples and measures it afresh.
// It goes on until exploreLosses of the explored arm's Runs have lost to
// the median of the arm in use (one slow Run is the machine's noise as
// often as the arm's cost; a small CNN's parallel Runs alone have a p90
// 1.7 times their median), at most exploreTries warm Runs, and the explored arm takes over once
// adaptMinSamples fresh samples give it the better median: one fast
// outlier cannot flip the choice. When the arm in use gets slower than the
// other arm's last median (the machine got busier, or quieter for the
// other arm), the other arm is explored at once instead of at the next
// period.
type adaptive struct {
	samples [2][adaptSamples]time.Duration
	med     [2]time.Duration // median of each arm's samples
	held    [2]int           // samples held per arm (at most adaptSamples)
	next    [2]int           // ring index of the next sample per arm
	lastRun [2]uint64        // run count at the newest sample per arm
	lastAt  [2]time.Duration
	runs    uint64 // Runs recorded, warm or not
	using   parArm // the arm with the better median
	prev    parArm // the arm of the last Run
	cold    bool   // the last Run's sample was not kept
	ready   bool   // the warm-up is over: both arms had adaptMinSamples
	explore bool   // the other arm is being explored
	tried   int    // warm samples of the current exploration
	lost    int    // of those, the Runs slower than the arm in use's median
	period  uint64 // Runs between explorations (exploreMinRuns…exploreRuns)
}

func newAdaptive() *adaptive {
	return &adaptive{using: armParallel, prev: armNone, period: exploreMinRuns}
}

// pick returns the arm of the next Run; now is a monotonic clock reading.
func (a *adaptive) pick(now time.Duration) parArm {
	if a.med[armParallel] >= serialMaxRun {
		return armParallel
	}
	if !a.ready {
		// Warm-up: alternate pairs of Runs until both arms have enough
		// samples.
		if a.cold && a.prev != armNone {
			return a.prev // its sample was not kept: run it again
		}
		if a.held[armSerial] < a.held[armParallel] {
			return armSerial
		}
		return armParallel
	}
	other := a.using ^ 1
	if !a.explore && a.runs-a.lastRun[other] >= a.period && (a.period < exploreRuns || now-a.lastAt[other] >= a.exploreAge()) {
		a.startExplore()
	}
	if a.explore {
		return other
	}
	return a.using
}

// exploreAge is how long after its newest sample the arm not in use is
// explored again once the period has reached exploreRuns.
func (a *adaptive) exploreAge() time.Duration {
	return min(max(exploreRunsAge*a.med[a.using], exploreMinAge), exploreMaxAge)
}

// startExplore starts measuring the arm not in use afresh.
func (a *adaptive) startExplore() {
	other := a.using ^ 1
	a.explore, a.tried, a.lost = true, 0, 0
	a.held[other], a.next[other] = 0, 0
}

// record stores the duration d of a Run made with arm x that ended at now.
func (a *adaptive) record(x parArm, d, now time.Duration) {
	a.runs++
	a.cold = a.prev != x
	a.prev = x
	if a.cold {
		return
	}
	a.samples[x][a.next[x]] = d
	a.next[x] = (a.next[x] + 1) % adaptSamples
	a.held[x] = min(a.held[x]+1, adaptSamples)
	a.med[x] = a.median(x)
	a.lastRun[x], a.lastAt[x] = a.runs, now
	if !a.ready {
		if a.held[armParallel] < adaptMinSamples || a.held[armSerial] < adaptMinSamples {
			return // pick alternates the arms
		}
		// The warm-up compared the arms side by side: the next
		// exploration waits a full period.
		a.ready, a.period = true, exploreRuns
		if better(armSerial, a.med[armSerial], a.med[armParallel]) {
			a.using = armSerial
		}
		return
	}
	other := a.using ^ 1
	switch {
	case x == a.using:
		if !a.explore && better(other, a.med[other], a.med[x]) {
			a.startExplore() // the arm in use got slower than the other's last median
		}
	case d >= a.med[a.using] && a.lost+1 >= exploreLosses:
		a.endExplore() // the explored arm lost again: back to the arm in use
	case a.held[x] >= adaptMinSamples && better(x, a.med[x], a.med[a.using]):
		a.using, a.explore, a.period = x, false, exploreMinRuns
	default:
		if d >= a.med[a.using] {
			a.lost++
		}
		if a.tried++; a.tried >= exploreTries {
			a.endExplore() // as good, not better: keep the arm in use
		}
	}
}

// endExplore goes back to the arm in use and doubles the exploration
// period.
func (a *adaptive) endExplore() {
	a.explore = false
	a.period = min(2*a.period, exploreRuns)
}

// better reports whether median m of arm x beats median ref of the other
// arm by the margin for taking x.
func better(x parArm, m, ref time.Duration) bool {
	margin := toParallelMargin
	if x == armSerial {
		if ref >= serialMaxRun {
			return false
		}
		margin = toSerialMargin
	}
	return float64(m) < float64(ref)*(1-margin)
}

// median returns the median of arm x's samples (0 when it has none).
func (a *adaptive) median(x parArm) time.Duration {
	n := a.held[x]
	if n == 0 {
		return 0
	}
	var buf [adaptSamples]time.Duration
	s := buf[:n]
	copy(s, a.samples[x][:n])
	for i := 1; i < n; i++ { // insertion sort: n is small, and this runs every Run
		v, j := s[i], i
		for ; j > 0 && s[j-1] > v; j-- {
			s[j] = s[j-1]
		}
		s[j] = v
	}
	return s[n/2]
}

// countRun counts a top-level Run made with arm x and records arm x's median
// and the medians of the frame's controller a.
func (p *workerPool) countRun(x parArm, a *adaptive) {
	p.runs[x].Add(1)
	p.medians[x].Store(int64(a.med[x]))
}

// ParallelStats counts a session's Runs by how they used its threads.
type ParallelStats struct {
	// Adaptive reports whether the session chooses per Run (Threads > 1
	// and not Options.AlwaysParallel).
	Adaptive bool
	// Parallel and Serial count the Runs an adaptive session made in each
	// way since it was loaded.
	Parallel, Serial uint64
	// ParallelMedian and SerialMedian are the medians of the recent Run
	// times of each way, as the last Run's frame saw them.
	ParallelMedian, SerialMedian time.Duration
}

// ParallelStats reports how the session's Runs used its threads.
func (s *Session) ParallelStats() ParallelStats {
	return ParallelStats{
		Adaptive: s.pool.Threads() > 1 && !s.opts.AlwaysParallel,
		Parallel: s.pool.runs[armParallel].Load(),
		Serial:   s.pool.runs[armSerial].Load(),

		ParallelMedian: time.Duration(s.pool.medians[armParallel].Load()),
		SerialMedian:   time.Duration(s.pool.medians[armSerial].Load()),
	}
}
