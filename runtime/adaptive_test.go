package runtime

import (
	"testing"
	"time"
)

// adaptSim drives a controller with injected Run times on a fake clock: a
// Run made with arm x at run index i takes cost(x, i), and the clock moves
// by that much. It returns the arm of every Run.
type adaptSim struct {
	a   *adaptive
	now time.Duration
	i   int
}

func newAdaptSim() *adaptSim { return &adaptSim{a: newAdaptive()} }

func (s *adaptSim) run(n int, cost func(x parArm, i int) time.Duration) []parArm {
	arms := make([]parArm, 0, n)
	for range n {
		x := s.a.pick(s.now)
		d := cost(x, s.i)
		s.now += d
		s.a.record(x, d, s.now)
		arms = append(arms, x)
		s.i++
	}
	return arms
}

// share is the fraction of arms equal to x.
func share(arms []parArm, x parArm) float64 {
	n := 0
	for _, a := range arms {
		if a == x {
			n++
		}
	}
	return float64(n) / float64(len(arms))
}

// fixed returns a cost function with constant times per arm.
func fixed(par, ser time.Duration) func(parArm, int) time.Duration {
	return func(x parArm, _ int) time.Duration {
		if x == armParallel {
			return par
		}
		return ser
	}
}

const us = time.Microsecond

// TestAdaptiveParallelWins: a model whose parallel Runs are faster runs in
// parallel after the warm-up, exploring the serial arm rarely.
func TestAdaptiveParallelWins(t *testing.T) {
	for _, c := range []struct{ par, ser time.Duration }{
		{70 * us, 92 * us}, // a small CNN alone
		{9 * time.Millisecond, 14 * time.Millisecond}, // ResNet-18
	} {
		s := newAdaptSim()
		s.run(20, fixed(c.par, c.ser))
		arms := s.run(2000, fixed(c.par, c.ser))
		if f := share(arms, armSerial); f > 0.04 {
			t.Errorf("par %v ser %v: %.1f%% of Runs serial after the warm-up, want at most 4%%", c.par, c.ser, 100*f)
		}
		if s.a.using != armParallel {
			t.Errorf("par %v ser %v: using %v", c.par, c.ser, s.a.using)
		}
	}
}

// TestAdaptiveSerialWins: when parallel Runs are slower (more runnable
// threads than cores), Runs go serial.
func TestAdaptiveSerialWins(t *testing.T) {
	s := newAdaptSim()
	s.run(20, fixed(160*us, 92*us))
	arms := s.run(5000, fixed(160*us, 92*us))
	if f := share(arms, armParallel); f > 0.04 {
		t.Errorf("%.1f%% of Runs parallel after the warm-up, want at most 4%%", 100*f)
	}
	if s.a.using != armSerial {
		t.Errorf("using %v", s.a.using)
	}
}

// TestAdaptiveEqualArmsDoNotFlap: arms of nearly equal cost (a model with
// no parallel loop) keep one arm instead of switching back and forth.
func TestAdaptiveEqualArmsDoNotFlap(t *testing.T) {
	s := newAdaptSim()
	noisy := func(x parArm, i int) time.Duration { return 100*us + time.Duration(i*7919%5)*us/2 }
	s.run(20, noisy)
	arms := s.run(3000, noisy)
	switches := 0
	for i := 1; i < len(arms); i++ {
		if arms[i] != arms[i-1] {
			switches++
		}
	}
	// Each exploration is two switches, one exploration per exploreAge
	// (30 ms at 100 µs a Run): 10 explorations in 3000 Runs.
	explorations := int(3000 * 100 * us / s.a.exploreAge())
	if switches > 2*explorations+8 {
		t.Errorf("%d switches in 3000 Runs of equal arms", switches)
	}
}

// TestAdaptiveSwitchesBack: conditions change from serial-wins to
// parallel-wins and back; each change is followed within a few exploration
// periods.
func TestAdaptiveSwitchesBack(t *testing.T) {
	s := newAdaptSim()
	busy, quiet := fixed(160*us, 92*us), fixed(70*us, 92*us)
	s.run(500, busy)
	if s.a.using != armSerial {
		t.Fatalf("busy machine: using %v", s.a.using)
	}
	// The machine quietens: within two exploration periods (exploreAge
	// each, 300 Runs of 92 µs) Runs are parallel again.
	arms := s.run(2000, quiet)
	at := firstStreak(arms, armParallel, 20)
	if s.a.using != armParallel || at > 1200 || share(arms[at:], armParallel) < 0.95 {
		t.Fatalf("quiet machine: using %v, parallel from Run %d, then %.1f%%", s.a.using, at, 100*share(arms[at:], armParallel))
	}
	// Busy again: a parallel arm whose Runs get slower loses at once (its
	// own samples are fresh), well before an exploration period; after the
	// switch the parallel arm is tried again soon and then more rarely.
	arms = s.run(400, busy)
	at = firstStreak(arms, armSerial, 8)
	if s.a.using != armSerial || at > 12 || share(arms[at:], armSerial) < 0.95 {
		t.Fatalf("busy again: using %v, serial from Run %d, then %.1f%%", s.a.using, at, 100*share(arms[at:], armSerial))
	}
}

// firstStreak returns the index of the first k Runs in a row of arm x
// (len(arms) when there are none).
func firstStreak(arms []parArm, x parArm, k int) int {
	n := 0
	for i, a := range arms {
		if n = n + 1; a != x {
			n = 0
		}
		if n == k {
			return i - k + 1
		}
	}
	return len(arms)
}

// TestAdaptiveOutliers: single outliers flip nothing. A parallel session
// whose serial exploration has one very fast Run (the clock read late, a
// burst of quiet) stays parallel, and one very slow parallel Run (a
// preemption) does not make it serial.
func TestAdaptiveOutliers(t *testing.T) {
	s := newAdaptSim()
	base := fixed(70*us, 92*us)
	s.run(200, base)
	// The next serial Run is a tenfold fast outlier.
	fast := true
	arms := s.run(3000, func(x parArm, i int) time.Duration {
		if x == armSerial && fast && s.a.prev == armSerial {
			fast = false
			return 9 * us
		}
		return base(x, i)
	})
	if fast {
		t.Fatal("the serial arm was never explored")
	}
	if f := share(arms, armSerial); f > 0.04 || s.a.using != armParallel {
		t.Errorf("after a fast serial outlier: using %v, %.1f%% serial", s.a.using, 100*f)
	}
	// One parallel Run is preempted for 50 ms.
	slow := true
	arms = s.run(100, func(x parArm, i int) time.Duration {
		if x == armParallel && slow {
			slow = false
			return 50 * time.Millisecond
		}
		return base(x, i)
	})
	if n := share(arms, armSerial); n > 0.05 || s.a.using != armParallel {
		t.Errorf("after a slow parallel outlier: using %v, %.0f%% serial", s.a.using, 100*n)
	}
}

// TestAdaptiveWarmup: the first Runs alternate pairs of each arm and keep
// only the second of each pair.
func TestAdaptiveWarmup(t *testing.T) {
	s := newAdaptSim()
	arms := s.run(4*adaptMinSamples, fixed(70*us, 92*us))
	for i, x := range arms {
		if want := parArm(i / 2 % 2); x != want {
			t.Fatalf("warm-up Run %d: %v, want %v (all: %v)", i, x, want, arms)
		}
	}
	if s.a.held[armParallel] != adaptMinSamples || s.a.held[armSerial] != adaptMinSamples {
		t.Fatalf("held %v after the warm-up", s.a.held)
	}
}

// TestAdaptiveNoisy: with heavy-tailed noise on every Run (one in eight
// three times slower, as on a shared machine) the faster arm still takes
// most Runs, whichever it is.
func TestAdaptiveNoisy(t *testing.T) {
	for _, c := range []struct {
		par, ser time.Duration
		want     parArm
	}{
		{70 * us, 92 * us, armParallel},
		{130 * us, 92 * us, armSerial},
	} {
		s := newAdaptSim()
		x := uint32(12345)
		noisy := func(a parArm, i int) time.Duration {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			d := fixed(c.par, c.ser)(a, i)
			d += d * time.Duration(x%16) / 64 // up to +25% jitter
			if x%8 == 0 {
				d *= 3
			}
			return d
		}
		s.run(20, noisy)
		arms := s.run(5000, noisy)
		if f := share(arms, c.want); f < 0.9 {
			t.Errorf("par %v ser %v: %.1f%% of Runs %v, want at least 90%%", c.par, c.ser, 100*f, c.want)
		}
	}
}

// TestAdaptiveLongRunsStayParallel: Runs of serialMaxRun or more use the
// threads even when serial samples look better (noise over long Runs).
func TestAdaptiveLongRunsStayParallel(t *testing.T) {
	s := newAdaptSim()
	arms := s.run(500, fixed(serialMaxRun+time.Millisecond, serialMaxRun/2))
	if f := share(arms, armSerial); f != 0 {
		t.Errorf("%.1f%% of long Runs serial", 100*f)
	}
}

// TestAdaptiveTinyModelReturnsSoon: a model of a few microseconds sent to
// its serial arm while another engine's threads spin (parallel 12 µs,
// serial 8 µs) is back on the parallel arm (6 µs) within 20 ms (two
// exploreMinAge periods) of the machine quietening, and explores the
// serial arm in at most a percent of its Runs after that.
func TestAdaptiveTinyModelReturnsSoon(t *testing.T) {
	s := newAdaptSim()
	s.run(20000, fixed(12*us, 8*us))
	if s.a.using != armSerial {
		t.Fatalf("spinning neighbour: using %v", s.a.using)
	}
	quiet := fixed(6*us, 8*us)
	arms := s.run(20000, quiet)
	at := firstStreak(arms, armParallel, 20)
	var back time.Duration
	for i := range at {
		back += quiet(arms[i], 0)
	}
	if want := 20 * time.Millisecond; back > want {
		t.Fatalf("back on the parallel arm after %v (Run %d), want within %v", back, at, want)
	}
	if sh := share(arms[at:], armSerial); sh > 0.01 {
		t.Fatalf("after the switch %.2f%% of the Runs were serial", 100*sh)
	}
}
