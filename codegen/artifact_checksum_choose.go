package codegen

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Whether overlapping the checksum with decoding pays depends on the
// machine at the time more than on the artifact: on the two-core
// development machine with its second core idle, a helper goroutine
// takes half the checksum of a large artifact (seed_transformer_encoder
// 385-425 vs 574 µs per load); with that core busy, waking the helper
// makes the kernel time-share the loader's core with it, and the same
// load is slower than a serial one (seed_gan_generator, 1.6 MB: 87 vs
// 31 µs for the checksum, 2026-11-29, load average 5). So the process
// measures both: each decode of a body of at least overlapMinBytes
// records its time per MiB for the way it checksummed, and the next
// decode takes the way whose recent times have the lower median, trying the other
// one every overlapExplore-th decode so that a change of machine load is
// noticed.

// overlapMinBytes: smaller bodies are always checksummed serially (their
// checksum takes under 10 µs, less than waking a helper can cost).
const overlapMinBytes = 512 << 10

// overlapExplore: one decode in overlapExplore takes the way measured
// slower.
const overlapExplore = 16

// overlapCosts holds the last overlapSamples decode times of each way
// (w = 0 serial, w = 1 overlapped), in nanoseconds per MiB of body; the
// median of each is its cost (a preempted or GC-assisting decode takes
// many times the usual, which would swing an average).
var overlapCosts struct {
	sync.Mutex
	samples [2][overlapSamples]int64
	n       [2]int // samples recorded (the ring's next slot is n % overlapSamples)
}

// overlapSamples is how many decode times of each way the choice uses.
const overlapSamples = 8

// overlapCost returns the median recorded cost of way w, 0 when there is
// none.
func overlapCost(w int) int64 {
	c := &overlapCosts
	c.Lock()
	defer c.Unlock()
	n := min(c.n[w], overlapSamples)
	if n == 0 {
		return 0
	}
	var s [overlapSamples]int64
	copy(s[:], c.samples[w][:n])
	slices.Sort(s[:n])
	return s[n/2]
}

// overlapDecodes counts the decodes that chose.
var overlapDecodes atomic.Uint64

// overlapMode forces the choice for benchmarks: overlapAuto measures,
// overlapNever and overlapAlways (for bodies of at least
// overlapMinBytes) do not.
var overlapMode = overlapAuto

const (
	overlapAuto = iota
	overlapNever
	overlapAlways
)

// chooseOverlap reports whether to overlap the checksum of an n-byte body
// with decoding it.
func chooseOverlap(n int) bool {
	if n < overlapMinBytes || overlapMode == overlapNever {
		return false
	}
	if overlapMode == overlapAlways {
		return true
	}
	serial, overlapped := overlapCost(0), overlapCost(1)
	switch {
	case serial == 0:
		return false
	case overlapped == 0:
		return true
	}
	explore := overlapDecodes.Add(1)%overlapExplore == 0
	return (overlapped < serial) != explore
}

// recordOverlap records a decode of an n-byte body that took d,
// checksummed overlapped or not.
func recordOverlap(overlapped bool, n int, d time.Duration) {
	if n < overlapMinBytes || overlapMode != overlapAuto {
		return
	}
	w := 0
	if overlapped {
		w = 1
	}
	c := &overlapCosts
	c.Lock()
	c.samples[w][c.n[w]%overlapSamples] = max(int64(d)*(1<<20)/int64(n), 1)
	c.n[w]++
	c.Unlock()
}
