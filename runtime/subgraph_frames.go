package runtime

import (
	"context"
	"sync"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// frameCache keeps the frames of one plan between the Runs that execute
// it: the top level's (compiled.frames: one frame per concurrent Run) and
// a nested plan's (an If branch, a Loop or Scan body: subgraphRunner). A
// scripted model whose whole network sits in a branch (Silero VAD) would
// otherwise build a frame, its contexts and their slices on every Run,
// and a Loop on every iteration. A nested plan's frames are kept per pool
// choice (a body under a serial Run runs serially, newFrame); a top-level
// frame switches its pool per Run itself (frame.useArm).
type frameCache struct {
	mu   sync.Mutex
	free [2][]*frame // [0]: top-level frames and nested ones with the session's pool, [1]: serial nested ones
}

// get returns a frame for plan p under parent (nil for a Run's top-level
// frame), reused when one is free.
func (fc *frameCache) get(s *Session, p *codegen.Plan, parent *frame) *frame {
	k := 0
	if parent != nil && parent.serial {
		k = 1
	}
	fc.mu.Lock()
	if n := len(fc.free[k]); n > 0 {
		f := fc.free[k][n-1]
		fc.free[k] = fc.free[k][:n-1]
		fc.mu.Unlock()
		f.parent = parent
		return f
	}
	fc.mu.Unlock()
	return newFrame(s, p, parent)
}

// put returns f to the cache once its Run is over, released (frame.release):
// the next Run must not see (or keep alive) this Run's tensors, which its
// caller now owns.
func (fc *frameCache) put(f *frame) {
	k := 0
	if f.parent != nil && f.serial {
		k = 1
	}
	f.release()
	f.parent = nil
	fc.mu.Lock()
	fc.free[k] = append(fc.free[k], f)
	fc.mu.Unlock()
}

// RunTo is Run for a caller that has room for the outputs: the first
// len(outs) outputs of the body go to outs, output i copied into dst[i]
// when that is a tensor of its dtype and shape (nothing allocated; dst
// may be shorter than outs, or nil). Other outputs are passed through, or
// cloned when they live in the body's frame (frame.owns), which the next
// Run reuses.
func (r *subgraphRunner) RunTo(c *kernels.Ctx, inputs, dst, outs []*ir.Tensor) error {
	if len(outs) > len(r.plan.Outputs) {
		return c.Errorf("BUG: room for %d outputs, the body has %d", len(outs), len(r.plan.Outputs))
	}
	f, err := r.start(c, inputs)
	if err != nil {
		return err
	}
	defer r.frames.put(f)
	for i := range outs {
		v, err := r.output(c, f, i)
		if err != nil {
			return err
		}
		if i < len(dst) {
			if d := dst[i]; d != nil && d.Kind == ir.KindTensor && v.Kind == ir.KindTensor &&
				d.DType == v.DType && sameDims(d.Shape, v.Shape) && ir.CopyData(d, v) {
				outs[i] = d
				continue
			}
		}
		if f.owns(v) {
			v = v.Clone()
		}
		outs[i] = v
	}
	return nil
}

// RunOut runs the body as the computation of the step c belongs to (an If
// branch): the body's first c.NumOutputs() outputs become the step's. A
// tensor output that lives in the body's frame, or that fits the step's
// planned buffer, is copied into c.OutputUninit's tensor (the planned
// buffer, or the one the step keeps for a dynamic output), so a Run
// whose shapes repeat allocates nothing; other outputs pass through.
func (r *subgraphRunner) RunOut(c *kernels.Ctx, inputs []*ir.Tensor) error {
	n := c.NumOutputs()
	if n > len(r.plan.Outputs) {
		return c.Errorf("BUG: the step has %d outputs, the body %d", n, len(r.plan.Outputs))
	}
	f, err := r.start(c, inputs)
	if err != nil {
		return err
	}
	defer r.frames.put(f)
	for i := range n {
		v, err := r.output(c, f, i)
		if err != nil {
			return err
		}
		fits := false
		if i < len(c.Planned) {
			p := c.Planned[i]
			fits = p != nil && v.Kind == ir.KindTensor && p.DType == v.DType && sameDims(p.Shape, v.Shape)
		}
		switch {
		case v.Kind == ir.KindTensor && (fits || f.owns(v)):
			t, err := c.OutputUninit(i, v.DType, v.Shape)
			if err != nil {
				return err
			}
			if !ir.CopyData(t, v) { // a storage CopyData does not move (strings)
				c.SetOutput(i, v.Clone())
			}
		case f.owns(v):
			c.SetOutput(i, v.Clone())
		default:
			c.SetOutput(i, v)
		}
	}
	return nil
}

// output returns body output i of frame f, which the body must have
// produced.
func (r *subgraphRunner) output(c *kernels.Ctx, f *frame, i int) (*ir.Tensor, error) {
	v := f.vals[r.plan.Outputs[i]]
	if v == nil {
		return nil, c.Errorf("body output %d was not produced", i)
	}
	return v, nil
}

// start runs the body in a frame of its own (from r.frames, whose parent
// is the frame of c's step) on inputs and returns that frame, which the
// caller returns to r.frames once it has taken the outputs.
func (r *subgraphRunner) start(c *kernels.Ctx, inputs []*ir.Tensor) (*frame, error) {
	if len(inputs) != len(r.plan.Inputs) {
		return nil, c.Errorf("body takes %d inputs, got %d", len(inputs), len(r.plan.Inputs))
	}
	parent, _ := c.Scope.(*frame)
	f := r.frames.get(r.s, r.plan, parent)
	for i, s := range r.plan.Inputs {
		f.vals[s] = inputs[i]
	}
	if err := f.resolveOuter(); err != nil {
		r.frames.put(f)
		return nil, c.Errorf("%v", err)
	}
	ctx := context.Background()
	if parent != nil && parent.runCtx != nil {
		ctx = parent.runCtx
	}
	if err := f.run(ctx); err != nil {
		r.frames.put(f)
		return nil, err
	}
	return f, nil
}

// RunVisit implements kernels.SubgraphVisitor: the body's outputs go to
// outs and are handed to t while the body's frame is still held, so its
// tensors need no copy; sequences and optionals living in the frame are
// cloned (t may keep them).
func (r *subgraphRunner) RunVisit(c *kernels.Ctx, inputs, outs []*ir.Tensor, t kernels.OutputTaker) error {
	if len(outs) != len(r.plan.Outputs) {
		return c.Errorf("BUG: room for %d outputs, the body has %d", len(outs), len(r.plan.Outputs))
	}
	f, err := r.start(c, inputs)
	if err != nil {
		return err
	}
	defer r.frames.put(f)
	for i := range outs {
		v, err := r.output(c, f, i)
		if err != nil {
			return err
		}
		outs[i] = f.detach(v)
	}
	err = t.TakeOutputs(outs)
	clear(outs)
	return err
}
