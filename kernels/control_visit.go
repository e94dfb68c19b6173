package kernels

import "github.com/nncc/nncc/ir"

// OutputTaker receives the outputs of one run of a nested graph while
// they are valid (SubgraphVisitor).
type OutputTaker interface {
	// TakeOutputs is called with the graph's outputs; a tensor among them
	// may live in the graph's frame, which its next run reuses, so the
	// taker copies what it keeps beyond the call.
	TakeOutputs(outs []*ir.Tensor) error
}

// SubgraphVisitor is implemented by the runtime's nested plans for
// kernels that run a body many times per Run (Loop): RunVisit runs the
// graph on inputs, fills outs (one per graph output) and hands them to
// t before the graph's frame is reused, so that no output is copied out
// of the frame except by the taker, into storage it keeps across Runs.
// Sequences and optionals among outs that live in the frame are cloned
// first; tensors are lent as they are.
type SubgraphVisitor interface {
	RunVisit(c *Ctx, inputs, outs []*ir.Tensor, t OutputTaker) error
}
