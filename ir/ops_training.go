package ir

import "fmt"

// Op table rows for the optimisers of the ai.onnx.preview.training domain:
// Adagrad, Adam and Momentum. (Gradient, which needs automatic
// differentiation of the graph, is not supported.)

// TrainingDomain is the domain of the training operators.
const TrainingDomain = "ai.onnx.preview.training"

func init() {
	f := func(name string, req bool) AttrSpec { return AttrSpec{Name: name, Kind: AttrFloat, Required: req} }
	RegisterOp(
		&OpSchema{
			Domain: TrainingDomain, Name: "Adagrad", MinOpset: 1,
			MinInputs: 3, MaxInputs: -1, MinOutputs: 1, MaxOutputs: -1,
			Attrs: []AttrSpec{f("decay_factor", false), f("epsilon", false), f("norm_coefficient", false)},
			Infer: inferOptimizer(3, 2),
		},
		&OpSchema{
			Domain: TrainingDomain, Name: "Adam", MinOpset: 1,
			MinInputs: 3, MaxInputs: -1, MinOutputs: 1, MaxOutputs: -1,
			Attrs: []AttrSpec{f("alpha", false), f("beta", false), f("epsilon", false),
				f("norm_coefficient", false), f("norm_coefficient_post", false)},
			Infer: inferOptimizer(4, 3),
		},
		&OpSchema{
			Domain: TrainingDomain, Name: "Momentum", MinOpset: 1,
			MinInputs: 3, MaxInputs: -1, MinOutputs: 1, MaxOutputs: -1,
			Attrs: []AttrSpec{f("alpha", true), f("beta", true), {Name: "mode", Kind: AttrString, Required: true},
				f("norm_coefficient", true)},
			Infer: inferOptimizer(3, 2),
		},
	)
}

// OptimizerGroups checks the variadic layout of an optimiser node whose
// inputs are R, T and then ins groups of k tensors (X..., G..., ...) and
// whose outputs are up to outs groups of k tensors. It returns k.
func OptimizerGroups(nIn, nOut, ins, outs int) (int, error) {
	rest := nIn - 2
	if rest <= 0 || rest%ins != 0 {
		return 0, fmt.Errorf("inputs must be R, T and %d equally long groups of tensors, got %d inputs", ins, nIn)
	}
	k := rest / ins
	if nOut > outs*k {
		return 0, fmt.Errorf("%d outputs, at most %d allowed", nOut, outs*k)
	}
	return k, nil
}

// inferOptimizer: output group g, tensor j has the type of input group g
// (0: X; for later groups the state tensor they update), tensor j.
func inferOptimizer(ins, outs int) func(*InferCtx) error {
	return func(c *InferCtx) error {
		k, err := OptimizerGroups(len(c.In), len(c.Out), ins, outs)
		if err != nil {
			return c.Errorf("%v", err)
		}
		if err := c.RequireDType(0, Float32, Float64); err != nil {
			return err
		}
		if err := c.RequireDType(1, Int64); err != nil {
			return err
		}
		for i := 2; i < len(c.In); i++ {
			if !c.Has(i) {
				return c.Errorf("input %d is missing", i)
			}
			if err := c.RequireDType(i, Float32, Float64); err != nil {
				return err
			}
		}
		for o := range c.Out {
			g, j := o/k, o%k
			src := 2 + j // X_j
			if g > 0 {
				src = 2 + (ins-outs+g)*k + j // the state tensor of group g
			}
			c.Out[o] = *c.In[src]
		}
		return nil
	}
}
