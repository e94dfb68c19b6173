package main

import (
	"syscall"
	"time"
)

// schedule is how the two engines take turns.
//
// Both engines keep threads busy for a while after a Run returns: nncc's
// workers poll for the next parallel loop for 100 µs before they park,
// and ONNX Runtime's intra-op threads spin for tens of milliseconds by
// default (-idle-probe measures it: about 40 ms of a whole core after the
// last Run of seed_cnn_cifar at 2 threads, 2026-11-30). On a machine with
// as many cores as threads, the engine that runs next therefore finds one
// core taken by the other's idle threads for that long. Alternating
// single runs (block 1) measures every nncc Run of a small model with
// ONNX Runtime's spinning thread on the second core, and every ONNX
// Runtime Run with its own thread still hot.
//
// Blocks measured in time (blockTime) make each engine's turn long next
// to the other's idle spinning, so that most of its Runs see the machine
// as a user's back-to-back Runs do; the engines still alternate, so slow
// drifts of the machine (a neighbour's load, frequency) hit both alike.
type schedule struct {
	block     int           // runs per turn when blockTime is 0
	blockTime time.Duration // minimum duration of a turn (0: count runs)
	settle    time.Duration // pause after each turn
}

// minTimedTurns is the fewest turns each engine takes when turns are
// measured in time, so that a drift of the machine cannot fall on one
// engine's only turn.
const minTimedTurns = 4

// alternate times runs of a and b, taking turns by s, until each has at
// least runs timed Runs (and minTimedTurns turns when they are timed), and
// returns the durations.
func alternate(a, b func() error, runs int, s schedule) ([]time.Duration, []time.Duration, error) {
	at := make([]time.Duration, 0, runs)
	bt := make([]time.Duration, 0, runs)
	turn := func(run func() error, ts []time.Duration) ([]time.Duration, error) {
		start := time.Now()
		for i := 0; ; i++ {
			if s.blockTime > 0 {
				if i > 0 && time.Since(start) >= s.blockTime {
					break
				}
			} else if i >= max(s.block, 1) || len(ts) >= runs {
				break
			}
			t0 := time.Now()
			if err := run(); err != nil {
				return ts, err
			}
			ts = append(ts, time.Since(t0))
		}
		if s.settle > 0 {
			time.Sleep(s.settle)
		}
		return ts, nil
	}
	var err error
	for turns := 0; len(at) < runs || len(bt) < runs || s.blockTime > 0 && turns < minTimedTurns; turns++ {
		if at, err = turn(a, at); err != nil {
			return nil, nil, err
		}
		if bt, err = turn(b, bt); err != nil {
			return nil, nil, err
		}
	}
	return at, bt, nil
}

// probeSpan is how long idleCPU watches a process that has stopped
// calling Run.
const probeSpan = 100 * time.Millisecond

// idleCPU runs run a few times, then sleeps for probeSpan and returns the
// CPU time the process used meanwhile: the engine's threads spinning or
// polling after its last Run (the calling goroutine sleeps). It first
// waits until the threads of whatever ran before have gone quiet.
func idleCPU(run func() error) time.Duration {
	time.Sleep(2 * probeSpan)
	for range 20 {
		if run() != nil {
			return -1
		}
	}
	c0 := processCPU()
	time.Sleep(probeSpan)
	return (processCPU() - c0).Round(100 * time.Microsecond)
}

// processCPU returns the user and system CPU time of the process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
