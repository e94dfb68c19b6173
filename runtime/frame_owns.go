package runtime

import (
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// owns reports whether t (or any item of t) lives in memory that the
// frame's next Run reuses: its arena, or a buffer or view header one of
// its steps keeps for a dynamic output (kernels.KeptOutput). A value that
// leaves the frame (a nested graph's result) must be copied when it does.
func (f *frame) owns(t *ir.Tensor) bool {
	if t == nil {
		return false
	}
	if aliases(t, f.arena) {
		return true
	}
	for i := range f.ctxs {
		for k := range f.ctxs[i].Kept {
			if f.ctxs[i].Kept[k].Owns(t) {
				return true
			}
		}
	}
	return false
}

// keepCopy returns a copy of step output j's value t (made by the kernel
// of c's step, living in the frame's arena where a later step may
// overwrite it) in the buffer the step keeps for that output (kernels.Ctx
// Kept), so that a Run whose shapes repeat allocates nothing; a sequence
// or optional is cloned.
func keepCopy(c *kernels.Ctx, j int, t *ir.Tensor) *ir.Tensor {
	if t.Kind != ir.KindTensor {
		return t.Clone()
	}
	o, err := c.OutputUninit(j, t.DType, t.Shape)
	if err != nil || o == t || !ir.CopyData(o, t) {
		return t.Clone()
	}
	return o
}
