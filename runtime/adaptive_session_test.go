package runtime

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
)

// TestAdaptiveSessionArms runs a two-thread session through both arms (its
// warm-up alternates them) and checks that the outputs are bitwise those
// of the first Run, that steady-state Runs allocate nothing in either arm,
// and that Options.AlwaysParallel keeps every Run parallel.
func TestAdaptiveSessionArms(t *testing.T) {
	for _, always := range []bool{false, true} {
		s, err := Load(testCNN, Options{Threads: 2, AlwaysParallel: always})
		require.NoError(t, err)
		ins, want := loadSet(t, testCNN, s)
		outs := make([]*ir.Tensor, len(want))
		ctx := context.Background()
		var first []*ir.Tensor
		var slowest time.Duration
		for i := range 4 * adaptMinSamples {
			clear(outs)
			t0 := time.Now()
			require.NoError(t, s.RunInto(ctx, ins, outs))
			slowest = max(slowest, time.Since(t0))
			if first == nil {
				first = outs
				outs = make([]*ir.Tensor, len(want))
				continue
			}
			for j := range first {
				require.True(t, sameBits(first[j], outs[j]), "Run %d: output %d differs from the first Run's", i, j)
			}
		}
		st := s.ParallelStats()
		if always {
			require.False(t, st.Adaptive)
			require.Zero(t, st.Parallel+st.Serial)
		} else {
			require.True(t, st.Adaptive)
			require.EqualValues(t, 4*adaptMinSamples, st.Parallel+st.Serial, "Runs counted")
			if slowest >= serialMaxRun {
				// A parallel median of serialMaxRun or more (a very busy
				// machine) ends the serial arm's warm-up wherever it is.
				t.Logf("%d serial Runs in the warm-up (slowest Run %v, parallel median %v)", st.Serial, slowest, st.ParallelMedian)
				require.LessOrEqual(t, st.Serial, uint64(2*adaptMinSamples), "warm-up Runs serial")
			} else {
				require.EqualValues(t, 2*adaptMinSamples, st.Serial, "warm-up Runs serial")
			}
		}
		if !raceEnabled {
			allocs := allocstest.PerRun(100, func() {
				if err := s.RunInto(ctx, ins, outs); err != nil {
					t.Fatal(err)
				}
			})
			require.Zero(t, allocs, "allocations per Run (always parallel: %v)", always)
		}
		s.Close()
	}
}

// TestAdaptiveConcurrentRuns runs one adaptive session from several
// goroutines at once (under -race it checks that frames' controllers and
// the serial arm's rest requests do not race with parallel loops).
func TestAdaptiveConcurrentRuns(t *testing.T) {
	s, err := Load(testCNN, Options{Threads: 2})
	require.NoError(t, err)
	defer s.Close()
	ins, want := loadSet(t, testCNN, s)
	ref := make([]*ir.Tensor, len(want))
	require.NoError(t, s.RunInto(context.Background(), ins, ref))
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for g := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 40 {
				outs := make([]*ir.Tensor, len(want))
				if errs[g] = s.RunInto(context.Background(), ins, outs); errs[g] != nil {
					return
				}
				for j := range ref {
					if !sameBits(ref[j], outs[j]) {
						t.Errorf("goroutine %d: output %d differs", g, j)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	if st := s.ParallelStats(); st.Serial == 0 || st.Parallel == 0 {
		t.Logf("stats %+v: not every arm ran (a very busy machine)", st)
	}
}
