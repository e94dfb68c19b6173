package passes

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// foldBudget counts the bytes of the constants one run of the passes has
// folded, nested graphs' runs included, against Context.MaxFoldBytes.
// Each fold is bounded by MaxFoldElements, but a file of many small nodes
// (a thousand ConstantOfShape of 2^22 values each) would otherwise fold
// into gigabytes of constants; past the budget nodes stay unfolded and
// run at run time, where the session's limits apply. Folds of at most
// smallFold bytes (shape computations, which specialising a graph to its
// input shapes relies on) always go ahead, counted all the same.
type foldBudget struct{ used int64 }

// smallFold is the size of a fold the budget never refuses.
const smallFold = 256

// FoldedBytes returns the bytes of the constants folding created in this
// run of the passes (nested graphs' runs included).
func (c *Context) FoldedBytes() int64 { return c.budget().used }

// foldFits reports whether a fold of n bytes may go ahead.
func (c *Context) foldFits(n int64) bool { return n <= smallFold || n <= c.foldRoom() }

// budget returns the fold budget shared by c and the contexts of its
// nested runs.
func (c *Context) budget() *foldBudget {
	if c.fold == nil {
		c.fold = &foldBudget{}
	}
	return c.fold
}

// foldRoom returns the bytes folding may still create (MaxInt64 when
// MaxFoldBytes is 0).
func (c *Context) foldRoom() int64 {
	if c.MaxFoldBytes <= 0 {
		return math.MaxInt64
	}
	return max(c.MaxFoldBytes-c.budget().used, 0)
}

// takeFold charges the folded values to the budget; it reports false,
// charging nothing, when they do not fit.
func (c *Context) takeFold(vals []*ir.Tensor) bool {
	var n int64
	for _, t := range vals {
		n += valueBytes(t)
	}
	if !c.foldFits(n) {
		return false
	}
	c.budget().used += n
	return true
}

// valueBytes is the memory t's data takes (a sequence's or optional's
// items summed; a string counts its Go header).
func valueBytes(t *ir.Tensor) int64 {
	if t == nil {
		return 0
	}
	if t.Kind != ir.KindTensor {
		var n int64
		for _, it := range t.Items {
			n += valueBytes(it)
		}
		return n
	}
	return int64(ir.NumElements(t.Shape)) * elemBytes(t.DType)
}

// elemBytes is the memory one element of dt takes (a string counts its Go
// header).
func elemBytes(dt ir.DType) int64 {
	if dt == ir.String {
		return 16
	}
	return int64(max(dt.Size(), 1))
}
