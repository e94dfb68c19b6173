package ir

// Op table rows for the normalisations (LayerNormalization,
// RMSNormalization, GroupNormalization, InstanceNormalization,
// BatchNormalization, LRN, MeanVarianceNormalization, LpNormalization) and
// the losses (SoftmaxCrossEntropyLoss, NegativeLogLikelihoodLoss).

func init() {
	eps := AttrSpec{Name: "epsilon", Kind: AttrFloat}
	stash := AttrSpec{Name: "stash_type", Kind: AttrInt}
	lossAttrs := []AttrSpec{{Name: "ignore_index", Kind: AttrInt}, {Name: "reduction", Kind: AttrString}}
	RegisterOp(
		&OpSchema{
			Name: "LayerNormalization", MinOpset: 17,
			MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 3,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}, eps, stash},
			Infer: inferLayerNorm,
		},
		&OpSchema{
			Name: "RMSNormalization", MinOpset: 23,
			MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}, eps, stash},
			Infer: inferRMSNorm,
		},
		&OpSchema{
			Name: "GroupNormalization", MinOpset: 18,
			MinInputs: 3, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{eps, {Name: "num_groups", Kind: AttrInt, Required: true}, stash},
			Infer: inferNormSameFloat(0, 1, 2),
		},
		&OpSchema{
			Name: "InstanceNormalization", MinOpset: 1,
			MinInputs: 3, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{eps, {Name: "consumed_inputs", Kind: AttrInts}},
			Infer: inferNormSameFloat(0, 1, 2),
		},
		&OpSchema{
			Name: "BatchNormalization", MinOpset: 1,
			MinInputs: 5, MaxInputs: 5, MinOutputs: 1, MaxOutputs: 5,
			Attrs: []AttrSpec{
				eps, {Name: "momentum", Kind: AttrFloat}, {Name: "training_mode", Kind: AttrInt},
				{Name: "spatial", Kind: AttrInt}, {Name: "is_test", Kind: AttrInt},
				{Name: "consumed_inputs", Kind: AttrInts},
			},
			Infer: inferBatchNorm,
		},
		&OpSchema{
			Name: "LRN", MinOpset: 1,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "alpha", Kind: AttrFloat}, {Name: "beta", Kind: AttrFloat},
				{Name: "bias", Kind: AttrFloat}, {Name: "size", Kind: AttrInt, Required: true},
			},
			Infer: inferNormSameFloat(0),
		},
		&OpSchema{
			Name: "MeanVarianceNormalization", MinOpset: 9,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axes", Kind: AttrInts}},
			Infer: inferNormSameFloat(0),
		},
		&OpSchema{
			Name: "LpNormalization", MinOpset: 1,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}, {Name: "p", Kind: AttrInt}},
			Infer: inferNormSameFloat(0),
		},
		&OpSchema{
			Name: "SoftmaxCrossEntropyLoss", MinOpset: 12,
			MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 2,
			Attrs: lossAttrs,
			Infer: inferLoss,
		},
		&OpSchema{
			Name: "NegativeLogLikelihoodLoss", MinOpset: 12,
			MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: lossAttrs,
			Infer: inferLoss,
		},
	)
}

// inferNormSameFloat checks that the listed inputs are floats of one dtype
// and gives output 0 the type of input 0.
func inferNormSameFloat(idx ...int) func(*InferCtx) error {
	return func(c *InferCtx) error {
		for _, i := range idx {
			if err := c.RequireDType(i, FloatTypes...); err != nil {
				return err
			}
		}
		c.SetOut(0, *c.In[0])
		return nil
	}
}

// StashDType maps a stash_type attribute value to the dtype of the
// statistics it asks for (float32 when unset).
func StashDType(v int64) (DType, bool) {
	switch DType(v) {
	case Float32, Float64, Float16, BFloat16:
		return DType(v), true
	}
	return Undefined, false
}

func inferLayerNorm(c *InferCtx) error {
	for _, i := range []int{0, 1, 2} {
		if err := c.RequireDType(i, FloatTypes...); err != nil {
			return err
		}
	}
	x := c.In[0]
	c.SetOut(0, *x)
	st, ok := StashDType(c.Attrs().Int("stash_type", 1))
	if !ok {
		return c.Errorf("unsupported stash_type %d", c.Attrs().Int("stash_type", 1))
	}
	if !x.RankKnown {
		c.SetOut(1, UnrankedOf(st))
		c.SetOut(2, UnrankedOf(st))
		return nil
	}
	r := len(x.Shape)
	ax, err := NormAxis(c.Attrs().Int("axis", -1), r)
	if err != nil {
		return c.Errorf("%v", err)
	}
	s := make(Shape, r)
	for i := range s {
		if i < ax {
			s[i] = x.Shape[i]
		} else {
			s[i] = D(1)
		}
	}
	c.SetOut(1, TensorOf(st, s))
	c.SetOut(2, TensorOf(st, s))
	return nil
}

func inferRMSNorm(c *InferCtx) error {
	for _, i := range []int{0, 1} {
		if err := c.RequireDType(i, FloatTypes...); err != nil {
			return err
		}
	}
	x := c.In[0]
	if _, ok := StashDType(c.Attrs().Int("stash_type", 1)); !ok {
		return c.Errorf("unsupported stash_type %d", c.Attrs().Int("stash_type", 1))
	}
	if x.RankKnown {
		if _, err := NormAxis(c.Attrs().Int("axis", -1), len(x.Shape)); err != nil {
			return c.Errorf("%v", err)
		}
	}
	out := *x
	out.DType = c.In[1].DType
	c.SetOut(0, out)
	return nil
}

func inferBatchNorm(c *InferCtx) error {
	for i := 0; i < 5; i++ {
		if err := c.RequireDType(i, FloatTypes...); err != nil {
			return err
		}
	}
	if err := checkBatchNormParams(c); err != nil {
		return err
	}
	if op := c.Node.Opset; (op == 0 || op >= 14) && c.Attrs().Int("training_mode", 0) == 0 {
		for o := 1; o < len(c.Node.Outputs); o++ {
			if c.Node.Outputs[o] != nil {
				return c.Errorf("output %d exists only with training_mode = 1 (inference mode has output Y alone)", o)
			}
		}
	}
	c.SetOut(0, *c.In[0])
	for o := 1; o < len(c.Out); o++ {
		src := 3 // running/saved mean: the type of input_mean
		if o == 2 || o == 4 {
			src = 4
		}
		c.SetOut(o, *c.In[src])
	}
	return nil
}

// checkBatchNormParams checks the element count of scale, B, mean and var
// where the shapes are known: C for the per-channel form, C*D1*...*Dn
// for `spatial` = 0 (opsets 1 to 8), which normalises each activation
// with its own statistics.
func checkBatchNormParams(c *InferCtx) error {
	x := c.In[0]
	if !x.RankKnown || len(x.Shape) < 2 {
		return nil
	}
	op := c.Node.Opset
	perActivation := op > 0 && op < 9 && c.Attrs().Int("spatial", 1) == 0
	feat := x.Shape[1:2]
	what := "C"
	if perActivation {
		feat, what = x.Shape[1:], "C*D1*...*Dn (spatial = 0)"
	}
	want := int64(1)
	for _, d := range feat {
		if !d.Known() {
			return nil
		}
		want *= d.Size
	}
	names := []string{"", "scale", "B", "mean", "var"}
	for i := 1; i < 5; i++ {
		p := c.In[i]
		if !p.RankKnown {
			continue
		}
		n := int64(1)
		for _, d := range p.Shape {
			if !d.Known() {
				n = -1
				break
			}
			n *= d.Size
		}
		if n >= 0 && n != want {
			return c.Errorf("input %d (%s) has shape %v; X %v needs %d elements (%s)", i, names[i], p.Shape, x.Shape, want, what)
		}
	}
	return nil
}

func inferLoss(c *InferCtx) error {
	if err := c.RequireDType(0, FloatTypes...); err != nil {
		return err
	}
	if err := c.RequireDType(1, Int32, Int64); err != nil {
		return err
	}
	if err := c.RequireSameDType(0, 2); err != nil {
		return err
	}
	x, t := c.In[0], c.In[1]
	switch r := c.Attrs().String("reduction", "mean"); r {
	case "none":
		switch {
		case t.RankKnown:
			c.SetOut(0, TensorOf(x.DType, t.Shape))
		case x.RankKnown && len(x.Shape) >= 2:
			s := append(Shape{x.Shape[0]}, x.Shape[2:]...)
			c.SetOut(0, TensorOf(x.DType, s))
		default:
			c.SetOut(0, UnrankedOf(x.DType))
		}
	case "sum", "mean":
		c.SetOut(0, TensorOf(x.DType, Shape{}))
	default:
		return c.Errorf("reduction must be none, sum or mean, got %q", r)
	}
	if x.RankKnown && len(x.Shape) < 2 {
		return c.Errorf("input 0 must have rank >= 2, got %v", x.Shape)
	}
	c.SetOut(1, *x)
	return nil
}
