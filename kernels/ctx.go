package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// Ctx is the per-step execution context a kernel receives.
type Ctx struct {
	// Planned holds, per output, the tensor the memory planner reserved
	// (nil when the output's shape was unknown at compile time).
	Planned []*ir.Tensor
	// Outs receives the results.
	Outs []*ir.Tensor
	// Kept, when the runtime sets it (one entry per output, kept with the
	// frame), lets outputs without a planned buffer reuse what earlier
	// Runs made for them (ctx_kept.go).
	Kept []KeptOutput
	// Pool runs loop bodies in parallel; never nil during Run.
	Pool Pool
	// Scope resolves outer-scope values for nested graphs; opaque here.
	Scope any
	// Limits bound what a kernel may allocate and how long it may loop.
	MaxElements       int64
	MaxLoopIterations int64 // 0: the package default MaxLoopIterations
	// MaxBytes bounds the bytes of any one output a kernel allocates at
	// run time (the session's memory budget); 0: no bound beyond
	// MaxElements.
	MaxBytes int64
	// Node names the step for error messages.
	Node *ir.Node

	scratch scratch // see scratch.go
	// state is a kernel's own state kept between the Runs of this step in
	// this frame (a Loop's carried and stacked buffers); nil at first.
	state any
}

// Errorf returns an error naming the node and op.
func (c *Ctx) Errorf(format string, args ...any) error {
	if c.Node == nil {
		return fmt.Errorf(format, args...)
	}
	return fmt.Errorf("node %q (%s): %s", c.Node.Name, c.Node.Op, fmt.Sprintf(format, args...))
}

// Output returns a zero-filled tensor for output i with the given dtype and
// shape, using the planned buffer when it matches, and records it in Outs.
func (c *Ctx) Output(i int, dt ir.DType, shape []int64) (*ir.Tensor, error) {
	t, reused, err := c.output(i, dt, shape)
	if err == nil && reused {
		clearSlice(t.Data)
	}
	return t, err
}

// OutputUninit is Output for kernels that overwrite every element: a
// planned buffer is returned as it is, holding stale data.
func (c *Ctx) OutputUninit(i int, dt ir.DType, shape []int64) (*ir.Tensor, error) {
	t, _, err := c.output(i, dt, shape)
	return t, err
}

// SetOutput stores a tensor the kernel made itself (a view, a sequence,
// a value passed through) as output i.
func (c *Ctx) SetOutput(i int, t *ir.Tensor) {
	if i < len(c.Outs) {
		c.Outs[i] = t
	}
}

// SetView produces output i as src's data under a new shape (Reshape,
// Flatten, Squeeze, Unsqueeze, Identity). When the planner reserved a
// buffer of that shape the data is copied into it, allocating nothing;
// otherwise the output is a view sharing src's storage.
func (c *Ctx) SetView(i int, src *ir.Tensor, shape []int64) {
	if i < len(c.Planned) {
		if p := c.Planned[i]; p != nil && p.DType == src.DType && sameShape(p.Shape, shape) && ir.CopyData(p, src) {
			c.Outs[i] = p
			return
		}
	}
	c.SetOutput(i, c.keptView(i, src, shape))
}

// NumOutputs returns how many outputs the node has (omitted ones included).
func (c *Ctx) NumOutputs() int { return len(c.Outs) }

func (c *Ctx) output(i int, dt ir.DType, shape []int64) (*ir.Tensor, bool, error) {
	if i < len(c.Planned) {
		if p := c.Planned[i]; p != nil && p.DType == dt && sameShape(p.Shape, shape) {
			c.Outs[i] = p
			return p, true, nil
		}
	}
	limit := c.MaxElements
	if limit <= 0 {
		limit = DefaultMaxElements
	}
	n, ok := elementCount(shape, limit)
	if !ok {
		// The error formats a copy: shape itself must not escape, or
		// every kernel's shape literal would be allocated.
		_, err := ir.CheckedNumElements(append([]int64(nil), shape...), limit)
		return nil, false, c.Errorf("output %d: %v (limit MaxTensorElements)", i, err)
	}
	if err := c.outputBytesErr(i, dt, shape, n); err != nil {
		return nil, false, c.Errorf("%v", err)
	}
	if t := c.keptBuffer(i, dt, shape, int(n)); t != nil {
		c.Outs[i] = t
		return t, true, nil
	}
	t := ir.NewTensor(dt, shape)
	c.keep(i, t)
	if i < len(c.Outs) {
		c.Outs[i] = t
	}
	return t, false, nil
}

// LoopLimit returns the most iterations one Loop may run.
func (c *Ctx) LoopLimit() int64 {
	if c.MaxLoopIterations > 0 {
		return c.MaxLoopIterations
	}
	return MaxLoopIterations
}

// DefaultMaxElements bounds one tensor's element count when no limit is set.
const DefaultMaxElements = 1 << 32

func sameShape(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func clearSlice(s any) {
	switch s := s.(type) {
	case []float32:
		clear(s)
	case []float64:
		clear(s)
	case []ir.F16:
		clear(s)
	case []ir.BF16:
		clear(s)
	case []int8:
		clear(s)
	case []int16:
		clear(s)
	case []int32:
		clear(s)
	case []int64:
		clear(s)
	case []uint8:
		clear(s)
	case []uint16:
		clear(s)
	case []uint32:
		clear(s)
	case []uint64:
		clear(s)
	case []bool:
		clear(s)
	case []string:
		clear(s)
	case []complex64:
		clear(s)
	case []complex128:
		clear(s)
	}
}
