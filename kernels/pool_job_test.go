package kernels

import (
	"fmt"
	"sync/atomic"
	"testing"
)

// claimProbe records which participant ran each item of a claimed loop.
type claimProbe struct {
	ran []atomic.Int32 // participant + 1 per item; 0: not run
	dup *atomic.Bool
}

var claimProbes = newJobPool(func(j *claimProbe, lo, hi int) {
	for i := lo; i < hi; i++ {
		if j.ran[i].Swap(1) != 0 {
			j.dup.Store(true)
		}
	}
})

// TestForClaimedRunsEachItemOnce checks that a claimed loop runs every
// item exactly once whatever the participants do: all present, late,
// never arriving, a serial pool, more
// threads than batches (rnn_team_test.go's pools), and grains that do not divide the shares.
func TestForClaimedRunsEachItemOnce(t *testing.T) {
	pools := []Pool{Serial{}, testPool{2}, testPool{3}, testPool{8}, lazyPool{2}, lazyPool{4}, latePool{2}, latePool{4}}
	for _, p := range pools {
		for _, n := range []int{1, 2, 5, 13, 64, 1000} {
			for _, grain := range []int{1, 3, 7, 100} {
				for range 20 {
					var dup atomic.Bool
					j := claimProbe{ran: make([]atomic.Int32, n), dup: &dup}
					claimProbes.ForClaimed(p, n, grain, j)
					what := fmt.Sprintf("%T%v n%d grain%d", p, p, n, grain)
					if dup.Load() {
						t.Fatalf("%s: an item ran twice", what)
					}
					for i := range j.ran {
						if j.ran[i].Load() == 0 {
							t.Fatalf("%s: item %d never ran", what, i)
						}
					}
				}
			}
		}
	}
}

// TestClaimShareEnds checks the two ends of a share: the owner takes
// batches from the front, a thief from the back, and the last batch of
// each is cut short at the other's position.
func TestClaimShareEnds(t *testing.T) {
	var s claimShare
	s.span.Store(uint64(10)<<32 | 20)
	type r struct{ lo, hi int }
	var got []r
	for _, back := range []bool{false, true, true, false, false} {
		lo, hi, ok := s.take(3, back)
		if !ok {
			got = append(got, r{-1, -1})
			continue
		}
		got = append(got, r{lo, hi})
	}
	want := []r{{10, 13}, {17, 20}, {14, 17}, {13, 14}, {-1, -1}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("claims %v, want %v", got, want)
	}
}
