package isa

import (
	"testing"
	"time"
)

func TestPeakGFLOPS(t *testing.T) {
	for _, l := range Supported() {
		g, err := PeakGFLOPS(l, 20*time.Millisecond)
		if err != nil || g <= 0 {
			t.Fatalf("%v: %v, %v", l, g, err)
		}
		t.Logf("%v: %.1f GFLOPS", l, g)
	}
}

func TestForceAndParse(t *testing.T) {
	for _, l := range Supported() {
		restore := Force(l)
		if Current() != l {
			t.Fatalf("Force(%v): Current = %v", l, Current())
		}
		restore()
		if p, err := Parse(l.String()); err != nil || p != l {
			t.Fatalf("Parse(%q) = %v, %v", l.String(), p, err)
		}
	}
	if _, err := Parse("sse9"); err == nil {
		t.Fatal("Parse accepted an unknown name")
	}
	if Select(numLevels) == nil {
		t.Fatal("Select accepted an invalid level")
	}
}
