package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// checkOutputShape reports the error Output would give for output i of
// the given shape when its element count overflows or exceeds the
// session's MaxTensorElements. Kernels whose output shape comes from
// tensor data call it before they build anything sized by that shape
// (index tables, windows, plans), so that a hostile value fails with a
// clear error instead of a huge allocation ahead of the output's own
// check. A shape the planner reserved a buffer for passes.
func (c *Ctx) checkOutputShape(i int, shape []int64) error {
	if err := c.outputShapeErr(i, shape); err != nil {
		return c.Errorf("%v", err)
	}
	return nil
}

// outputShapeErr is checkOutputShape's error without the node's name, for
// kernels whose run function has it added by its caller.
func (c *Ctx) outputShapeErr(i int, shape []int64) error {
	if i < len(c.Planned) {
		if p := c.Planned[i]; p != nil && sameShape(p.Shape, shape) {
			return nil
		}
	}
	limit := c.MaxElements
	if limit <= 0 {
		limit = DefaultMaxElements
	}
	n, err := ir.CheckedNumElements(shape, limit)
	if err != nil {
		return fmt.Errorf("output %d: %v (limit MaxTensorElements)", i, err)
	}
	// The output's dtype is not known here; every element takes a byte
	// at least.
	return c.outputBytesErr(i, ir.Uint8, shape, n)
}
