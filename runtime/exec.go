package runtime

import (
	"context"
	"fmt"
	"time"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// frame is the mutable state of one execution of a plan: the slot table,
// the arena, and per-step scratch (input lists and kernel contexts) built
// once so that steady-state Runs allocate nothing.
type frame struct {
	s      *Session
	plan   *codegen.Plan
	parent *frame
	vals   []*ir.Tensor
	arena  []byte
	ins    [][]*ir.Tensor
	ctxs   []kernels.Ctx
	// runCtx is the context of the Run in progress; nested frames (loop
	// bodies) inherit it so cancellation reaches them.
	runCtx context.Context
	// firstPar is the first step of the last Run that handed a loop to
	// the worker pool (-1: none), and parAt how long after the start of
	// that Run the step began (0 when not measured). A Run wakes parked
	// workers (prime) as it starts when that step comes within primeLead,
	// else as the step starts, and not at all when no step used the
	// workers: woken workers poll for spinWindow, and polling through a
	// long serial stretch (an LSTM layer before the one whose input
	// projection is split) only competes for the CPU with the caller.
	firstPar int
	parAt    time.Duration
	// adapt chooses whether a Run uses the worker pool (adaptive.go); nil
	// for nested frames, single-threaded sessions and
	// Options.AlwaysParallel. serial records that the kernel contexts hold
	// kernels.Serial instead of the pool.
	adapt  *adaptive
	serial bool
	// detached and settled speed up detaching a growing sequence
	// (frame_detach.go).
	detached, settled detachMemo
}

// primeLead is how far ahead of its first parallel step a Run wakes the
// workers: a parked worker takes several microseconds to wake, and
// woken early it is still polling when the step comes (spinWindow).
const primeLead = spinWindow / 2

func newFrame(s *Session, p *codegen.Plan, parent *frame) *frame {
	f := &frame{s: s, plan: p, parent: parent, vals: make([]*ir.Tensor, len(p.Slots)), firstPar: -1}
	if parent == nil && s.pool.Threads() > 1 && !s.opts.AlwaysParallel {
		f.adapt = newAdaptive()
	}
	var pool kernels.Pool = s.pool
	if parent != nil && parent.serial {
		f.serial, pool = true, kernels.Serial{} // a loop body runs in its Run's arm
	}
	f.arena = newArena(p.ArenaBytes)
	views := make([]*ir.Tensor, len(p.Slots))
	for i, sl := range p.Slots {
		if sl.Kind == codegen.SlotArena {
			views[i] = arenaView(f.arena, sl.Offset, sl.Type.DType, sl.Shape)
		}
	}
	f.ins = make([][]*ir.Tensor, len(p.Steps))
	f.ctxs = make([]kernels.Ctx, len(p.Steps))
	for si, st := range p.Steps {
		f.ins[si] = make([]*ir.Tensor, len(st.In))
		c := &f.ctxs[si]
		c.Node = st.Node
		c.Pool = pool
		c.Scope = f
		c.MaxElements = s.opts.maxElements()
		c.MaxBytes = s.opts.memoryBudget()
		c.MaxLoopIterations = s.opts.MaxLoopIterations
		c.Outs = make([]*ir.Tensor, len(st.Out))
		c.Planned = make([]*ir.Tensor, len(st.Out))
		c.Kept = make([]kernels.KeptOutput, len(st.Out)) // dynamic outputs' storage, reused across Runs
		for j, o := range st.Out {
			if o >= 0 {
				c.Planned[j] = views[o]
			}
		}
	}
	f.bindConstants()
	return f
}

func (f *frame) bindConstants() {
	for i, sl := range f.plan.Slots {
		if sl.Kind == codegen.SlotConst {
			f.vals[i] = sl.Const
		}
	}
}

// release drops references to inputs and dynamic values so they can be
// collected while the frame waits in the free list.
func (f *frame) release() {
	for i, sl := range f.plan.Slots {
		if sl.Kind != codegen.SlotConst {
			f.vals[i] = nil
		}
	}
	for _, in := range f.ins {
		clear(in)
	}
	for i := range f.ctxs {
		clear(f.ctxs[i].Outs)
	}
}

// resolveOuter binds the SlotOuter slots of a nested plan from the
// enclosing frames.
func (f *frame) resolveOuter() error {
	for _, s := range f.plan.Outer {
		v := f.plan.Slots[s].Value
		var found *ir.Tensor
		for p := f.parent; p != nil && found == nil; p = p.parent {
			if i, ok := p.plan.SlotOf[v]; ok {
				found = p.vals[i]
			}
		}
		if found == nil {
			return fmt.Errorf("value %q of an enclosing graph is not available", v.Name)
		}
		f.vals[s] = found
	}
	return nil
}

// run executes the plan's steps in order: a flat loop over the steps with
// no per-step defer, map lookup or allocation. A kernel panic is turned
// into an error naming the step by the one deferred recover.
func (f *frame) run(ctx context.Context) (err error) {
	f.runCtx = ctx
	top := f.parent == nil
	pool := f.s.pool
	var jobs0 uint64
	var t0 time.Time
	firstPar, primeAt := -1, -1 // this Run's first parallel step; the step to prime at
	arm := armParallel
	if f.adapt != nil {
		t0 = time.Now()
		arm = f.adapt.pick(t0.Sub(clockBase))
	}
	par := top && arm == armParallel
	if par {
		pool.parRuns.Add(1) // before useArm: a concurrent serial Run must see it
		defer pool.parRuns.Add(-1)
	}
	if f.adapt != nil {
		f.useArm(arm)
	}
	if par {
		jobs0 = pool.jobs.Load()
		if f.firstPar >= 0 {
			if t0.IsZero() {
				t0 = time.Now()
			}
			if f.parAt < primeLead {
				pool.prime() // pool.go: wake parked workers for this Run
			} else {
				primeAt = f.firstPar
			}
		}
	}
	si := 0
	defer func() {
		f.runCtx = nil
		if r := recover(); r != nil {
			st := &f.plan.Steps[si]
			err = fmt.Errorf("BUG: node %q (%s) panicked: %v", st.Node.Name, st.Node.Op, r)
		}
	}()
	done := ctx.Done()
	steps := f.plan.Steps
	for si = range steps {
		if done != nil {
			select {
			case <-done:
				return fmt.Errorf("run cancelled before node %q: %w", steps[si].Node.Name, ctx.Err())
			default:
			}
		}
		if par && si == f.firstPar {
			f.parAt = time.Since(t0)
			if si == primeAt {
				pool.prime()
			}
		}
		if err := f.step(si, &steps[si]); err != nil {
			return err
		}
		if par && firstPar < 0 && pool.jobs.Load() != jobs0 {
			firstPar = si
		}
	}
	if par && firstPar != f.firstPar {
		f.firstPar, f.parAt = firstPar, 0
	}
	if f.adapt != nil {
		end := time.Now()
		f.adapt.record(arm, end.Sub(t0), end.Sub(clockBase))
		pool.countRun(arm, f.adapt)
	}
	return nil
}

// clockBase is the origin of the monotonic clock readings adaptive gets.
var clockBase = time.Now()

// useArm points the kernel contexts at the pool (parallel) or at
// kernels.Serial, so that kernels take their single-thread paths. A
// serial Run asks polling workers to park, as they would only take a core
// from the caller, unless another Run of the session is in its parallel
// arm (concurrent Runs, see workerPool.restAlone).
func (f *frame) useArm(arm parArm) {
	serial := arm == armSerial
	if serial == f.serial {
		if serial {
			f.s.pool.restAlone(0) // one or two atomic loads when resting already
		}
		return
	}
	f.serial = serial
	var p kernels.Pool = f.s.pool
	if serial {
		p = kernels.Serial{}
		f.s.pool.restAlone(0)
	}
	for i := range f.ctxs {
		f.ctxs[i].Pool = p
	}
}

// step runs one step: gathers its inputs from the slot table, calls the
// kernel and stores its outputs, moving any that alias arena memory they
// were not planned into.
func (f *frame) step(si int, st *codegen.Step) error {
	in := f.ins[si]
	vals := f.vals
	for j, s := range st.In {
		if s < 0 {
			in[j] = nil
			continue
		}
		v := vals[s]
		if v == nil {
			return fmt.Errorf("BUG: node %q (%s): input %d %q has no value", st.Node.Name, st.Node.Op, j, f.plan.Slots[s].Name)
		}
		in[j] = v
	}
	c := &f.ctxs[si]
	clear(c.Outs)
	if err := st.Kernel(c, in); err != nil {
		return err
	}
	for j, s := range st.Out {
		if s < 0 {
			continue
		}
		t := c.Outs[j]
		if t == nil {
			return fmt.Errorf("BUG: node %q (%s) produced no output %d", st.Node.Name, st.Node.Op, j)
		}
		if p := c.Planned[j]; t != p {
			t = f.settle(c, j, t, p)
		}
		vals[s] = t
	}
	return nil
}

// settle handles an output the kernel made itself (a view, or a shape the
// planner did not foresee) instead of filling its planned buffer p (nil
// when there is none). Views may alias arena memory that is reused later,
// so the data moves into p when it fits, or is copied out of the arena
// (into the buffer step output j keeps, keepCopy).
func (f *frame) settle(c *kernels.Ctx, j int, t, p *ir.Tensor) *ir.Tensor {
	if p != nil && t.Kind == ir.KindTensor && t.DType == p.DType && sameDims(t.Shape, p.Shape) && ir.CopyData(p, t) {
		return p
	}
	if t.Kind != ir.KindTensor {
		return f.settleItems(t)
	}
	if aliases(t, f.arena) {
		return keepCopy(c, j, t)
	}
	return t
}

// subgraphRunner runs a nested plan for control-flow kernels.
type subgraphRunner struct {
	s      *Session
	plan   *codegen.Plan
	frames frameCache // subgraph_frames.go
}

func (s *Session) subgraph(p *codegen.Plan) kernels.Subgraph {
	return &subgraphRunner{s: s, plan: p}
}

// Run implements kernels.Subgraph: it executes the nested plan in a
// frame of its own (reused, subgraph_frames.go) whose parent is the frame
// of the calling step.
func (r *subgraphRunner) Run(c *kernels.Ctx, inputs []*ir.Tensor) ([]*ir.Tensor, error) {
	outs := make([]*ir.Tensor, len(r.plan.Outputs))
	if err := r.RunTo(c, inputs, nil, outs); err != nil {
		return nil, err
	}
	return outs, nil
}
