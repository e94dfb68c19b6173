package kernels

import "testing"

type restCounter struct {
	Serial
	rests int
}

func (r *restCounter) Rest() { r.rests++ }

// TestRest checks that Rest reaches a Rester and ignores other pools.
func TestRest(t *testing.T) {
	r := &restCounter{}
	Rest(r)
	Rest(Serial{})
	Rest(nil)
	if r.rests != 1 {
		t.Fatalf("Rest reached the Rester %d times, want 1", r.rests)
	}
}
