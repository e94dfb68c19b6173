package kernels

import "testing"

// TestMovementMT19937 checks the generator against the reference outputs
// published with mt19937ar.c: init_genrand(5489) (the default seed) gives
// 3499211612 first, and the 10000th output for that seed is 4123659995
// (C++ std::mt19937's required check value).
func TestMovementMT19937(t *testing.T) {
	m := newMvMT19937(5489)
	if v := m.next(); v != 3499211612 {
		t.Fatalf("first output %d, want 3499211612", v)
	}
	var v uint32
	for i := 1; i < 10000; i++ {
		v = m.next()
	}
	if v != 4123659995 {
		t.Fatalf("10000th output %d, want 4123659995", v)
	}
}
