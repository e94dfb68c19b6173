package runtime

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// forcedArm returns a controller that has finished its warm-up and uses
// arm for its next Run.
func forcedArm(arm parArm) *adaptive {
	a := newAdaptive()
	a.ready, a.using, a.prev, a.period = true, arm, arm, 1<<62
	return a
}

// TestSerialRunLeavesConcurrentWorkers: a Run of an adaptive session that
// chose the serial arm asks the workers to park only when no other Run
// of the session is in its parallel arm; while one is, the workers are
// that Run's. Every Run's outputs stay those of a lone Run.
func TestSerialRunLeavesConcurrentWorkers(t *testing.T) {
	s, err := Load(testCNN, Options{Threads: 2})
	require.NoError(t, err)
	defer s.Close()
	ins, want := loadSet(t, testCNN, s)
	ref := make([]*ir.Tensor, len(want))
	require.NoError(t, s.RunInto(context.Background(), ins, ref))
	c, err := s.planFor(ins)
	require.NoError(t, err)

	// A parallel Run held inside its first step.
	held := *c.plan
	held.Steps = append([]codegen.Step(nil), c.plan.Steps...)
	inside, release := make(chan struct{}), make(chan struct{})
	k := held.Steps[0].Kernel
	held.Steps[0].Kernel = func(ctx *kernels.Ctx, in []*ir.Tensor) error {
		close(inside)
		<-release
		return k(ctx, in)
	}
	par := newFrame(s, &held, nil)
	ser := newFrame(s, c.plan, nil)
	ser.useArm(armSerial)
	run := func(f *frame) error {
		if f.serial {
			f.adapt = forcedArm(armSerial)
		} else {
			f.adapt = forcedArm(armParallel)
		}
		for i, slot := range f.plan.Inputs {
			f.vals[slot] = ins[i]
		}
		return f.run(context.Background())
	}
	outputs := func(f *frame) {
		t.Helper()
		for i, slot := range f.plan.Outputs {
			require.True(t, sameBits(ref[i], f.vals[slot]), "output %d differs from a lone Run's", i)
		}
	}
	done := make(chan error)
	go func() { done <- run(par) }()
	<-inside
	s.pool.resting.Store(false)
	for range 3 {
		require.NoError(t, run(ser))
		outputs(ser)
		require.False(t, s.pool.resting.Load(), "a serial Run parked the workers of a concurrent parallel Run")
	}
	close(release)
	require.NoError(t, <-done)
	outputs(par)

	// Alone, a serial Run still parks them.
	require.NoError(t, run(ser))
	outputs(ser)
	require.True(t, s.pool.resting.Load(), "a lone serial Run left the workers polling")
	require.Zero(t, s.pool.parRuns.Load(), "parallel Runs in progress after every Run returned")
}
