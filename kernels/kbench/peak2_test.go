package kbench

import (
	"testing"
	"time"
)

func TestCoveredRates(t *testing.T) {
	at := time.Unix(1000, 0)
	sl := func(from, to int, cpu int) peakSlice {
		return peakSlice{at.Add(time.Duration(from) * time.Microsecond), at.Add(time.Duration(to) * time.Microsecond), time.Duration(cpu) * time.Microsecond}
	}
	mine := []peakSlice{sl(0, 100, 100), sl(100, 200, 100), sl(200, 300, 50), sl(300, 400, 100)}
	other := []peakSlice{sl(0, 150, 150), sl(150, 250, 100), sl(330, 450, 120)}
	// Slice 0 is covered; slice 1 too (the other's slices meet at 150);
	// slice 2 was descheduled; the other is idle for the first 30 µs of slice 3.
	got := coveredRates(mine, other, 1e5)
	if len(got) != 2 || got[0] != 1 || got[1] != 1 {
		t.Fatalf("coveredRates = %v, want [1 1] (1e5 FLOPs in 100 µs = 1 GFLOPS)", got)
	}
}

func TestPeakTwo(t *testing.T) {
	spin := func(r int) {
		x := float32(1)
		for range r {
			x = x*0.5 + 1
		}
		if x == 0 {
			panic("unreachable")
		}
	}
	one, each, slices := peakTwo(spin, 2, 5*time.Millisecond)
	if one <= 0 || each < 0 || slices < 0 || (slices > 0) != (each > 0) {
		t.Fatalf("peakTwo = %v %v %v", one, each, slices)
	}
}

func TestPeakOne(t *testing.T) {
	spin := func(r int) {
		x := float32(1)
		for range r {
			x = x*0.5 + 1
		}
		if x == 0 {
			panic("unreachable")
		}
	}
	if g := peakOne(spin, 2, 20*time.Millisecond); g <= 0 {
		t.Fatalf("peakOne = %v, want > 0", g)
	}
}
