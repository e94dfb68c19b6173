// Package allocstest measures steady-state allocations the way nncc's
// zero-allocation tests need them measured.
//
// nncc's kernels recycle their per-call jobs and packing scratch through
// recycle.Pool, which makes allocations that do not recur Run after Run:
//
//   - A pool holds only as many values as were ever out at once. How many
//     threads' chunks overlap depends on scheduling (on one processor, as
//     testing.AllocsPerRun runs, only when the caller is preempted inside
//     a chunk), so a pool can meet a new peak after many Runs and
//     allocates one value then, once.
//   - A pooled packing buffer grows to the largest block it has been used
//     for; which product gets which buffer depends on which thread claims
//     which chunk, so a buffer can meet a larger block late and grows once.
//   - Loading a session leaves garbage, and a collection triggered among
//     the measured calls can allocate in the runtime (its workers'
//     buffers) on the calls' account.
//
// testing.AllocsPerRun counts these against whichever calls they land
// in, at random. PerRun measures the steady state instead: it finishes a
// collection, turns the collector off, warms f up, and measures up to
// windows windows of calls, returning the least count. An allocation that
// recurs in every window of calls (every call, or every few) always
// shows; one that happened once does not fail a test.
//
// testing.AllocsPerRun sets GOMAXPROCS to 1 while it counts, so what
// depends on the calling goroutine moving between processors does not
// show here: sync.Pool's per-processor slots made about twenty
// allocations per Run of a long model at GOMAXPROCS 2 that these counts
// missed (package recycle); nncc bench counts at the process's
// GOMAXPROCS.
package allocstest

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// warmCalls is the least number of warm-up calls PerRun makes: enough for
// an adaptive session's controller to have run both of its arms three
// times each (12 Runs, cold ones included).
const warmCalls = 16

// windows is how many windows of calls PerRun measures at most.
const windows = 3

// PerRun returns the number of allocations per call of f, as
// testing.AllocsPerRun counts it over runs calls, once f has reached its
// steady state: the least of up to windows such counts after a completed
// collection and max(runs, warmCalls) warm-up calls, with the collector
// off (see the package doc).
func PerRun(runs int, f func()) float64 {
	runtime.GC()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	for range max(runs, warmCalls) {
		f()
	}
	least := testing.AllocsPerRun(runs, f)
	for i := 1; i < windows && least > 0; i++ {
		least = min(least, testing.AllocsPerRun(runs, f))
	}
	return least
}
