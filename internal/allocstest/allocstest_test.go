package allocstest

import (
	"runtime/debug"
	"testing"
)

var sink []byte

func TestPerRunCountsRecurringAllocations(t *testing.T) {
	if got := PerRun(10, func() { sink = make([]byte, 64) }); got != 1 {
		t.Errorf("a call that allocates once each time: PerRun = %v, want 1", got)
	}
	twice := func() { sink = make([]byte, 64); sink = append(sink, make([]byte, 128)...) }
	if got := PerRun(10, twice); got != 2 {
		t.Errorf("a call that allocates twice each time: PerRun = %v, want 2", got)
	}
}

func TestPerRunIgnoresOneTimeGrowth(t *testing.T) {
	calls := 0
	f := func() { // grows a buffer once, late (a pool meeting a new peak)
		if calls++; calls == 30 {
			sink = make([]byte, 1<<10)
		}
	}
	if got := PerRun(10, f); got != 0 {
		t.Errorf("PerRun = %v, want 0", got)
	}
}

func TestPerRunLeavesCollectorOn(t *testing.T) {
	PerRun(1, func() {})
	// SetGCPercent returns the previous setting: PerRun must have restored
	// it, not left the collector off.
	if prev := debug.SetGCPercent(100); prev < 0 {
		t.Errorf("the collector is still off after PerRun (GOGC %d)", prev)
	}
}
