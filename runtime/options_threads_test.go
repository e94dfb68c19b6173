package runtime

import (
	goruntime "runtime"
	"testing"
)

// TestDefaultThreadsFollowGOMAXPROCS: Threads 0 takes GOMAXPROCS (which
// Go sets from a container's CPU limit), not the machine's CPU count.
func TestDefaultThreadsFollowGOMAXPROCS(t *testing.T) {
	defer goruntime.GOMAXPROCS(goruntime.GOMAXPROCS(1))
	if got := (Options{}).threads(); got != 1 {
		t.Fatalf("GOMAXPROCS 1: default threads %d, want 1", got)
	}
	if got := (Options{Threads: 3}).threads(); got != 3 {
		t.Fatalf("Threads 3: %d", got)
	}
}
