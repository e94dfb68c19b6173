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

// RunTo is Run for a caller that has room for the outputs (the If
// kernel, whose outputs the enclosing plan placed): the first len(outs)
// outputs of the body go to outs, output i copied into dst[i] when that
// is a tensor of its dtype and shape (nothing allocated; dst may be
// shorter than outs, or nil). Other outputs are passed through, or cloned
// when they live in the body's arena, which the next Run reuses.
func (r *subgraphRunner) RunTo(c *kernels.Ctx, inputs, dst, outs []*ir.Tensor) error {
	if len(inputs) != len(r.plan.Inputs) {
		return c.Errorf("body takes %d inputs, got %d", len(inputs), len(r.plan.Inputs))
	}
	if len(outs) > len(r.plan.Outputs) {
		return c.Errorf("BUG: room for %d outputs, the body has %d", len(outs), len(r.plan.Outputs))
	}
	parent, _ := c.Scope.(*frame)
	f := r.frames.get(r.s, r.plan, parent)
	defer r.frames.put(f)
	for i, s := range r.plan.Inputs {
		f.vals[s] = inputs[i]
	}
	if err := f.resolveOuter(); err != nil {
		return c.Errorf("%v", err)
	}
	ctx := context.Background()
	if parent != nil && parent.runCtx != nil {
		ctx = parent.runCtx
	}
	if err := f.run(ctx); err != nil {
		return err
	}
	for i := range outs {
		v := f.vals[r.plan.Outputs[i]]
		if v == nil {
			return c.Errorf("body output %d was not produced", i)
		}
		if i < len(dst) {
			if d := dst[i]; d != nil && d.Kind == ir.KindTensor && v.Kind == ir.KindTensor &&
				d.DType == v.DType && sameDims(d.Shape, v.Shape) && ir.CopyData(d, v) {
				outs[i] = d
				continue
			}
		}
		if aliases(v, f.arena) {
			v = v.Clone()
		}
		outs[i] = v
	}
	return nil
}
