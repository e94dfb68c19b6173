package runtime

import (
	"errors"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/ir"
)

// lowerFor builds the plan for inputs (s.mu is held): it lowers the graph
// graphFor gives. A stored plan is lowered with the guard on the weights
// the artifact stores prepacked only (codegen.StoredPlan.GuardPrepacks);
// when the guard finds a transform the artifact does not hold (or holds
// at the wrong size: the artifact comes from another nncc build, or was
// crafted), the plan is built from the generic graph instead, as for
// inputs of shapes no stored plan is for, so the session still runs,
// with the values the model's weights give.
func (s *Session) lowerFor(inputs []*ir.Tensor) (*codegen.Plan, error) {
	g, stored, err := s.graphFor(inputs)
	if err == nil {
		err = checkStaticSizes(g, s.opts.maxElements(), s.opts.memoryBudget())
	}
	if err != nil {
		return nil, err
	}
	if stored == nil {
		return codegen.Compile(g, s.codegenOptions(s.prepacksOrNil()))
	}
	pp, check := stored.GuardPrepacks(s.prepacksOrNil())
	plan, err := codegen.Compile(g, s.codegenOptions(pp))
	if err == nil {
		err = check()
	}
	var missing *codegen.MissingTransformError
	if !errors.As(err, &missing) {
		return plan, err
	}
	if g, err = s.genericGraphFor(inputs); err == nil {
		err = checkStaticSizes(g, s.opts.maxElements(), s.opts.memoryBudget())
	}
	if err != nil {
		return nil, err
	}
	return codegen.Compile(g, s.codegenOptions(s.prepacksOrNil()))
}
