package ir

// Op table rows for the random generators: RandomNormal, RandomUniform,
// RandomNormalLike, RandomUniformLike, Bernoulli and Multinomial.

func init() {
	seed := AttrSpec{Name: "seed", Kind: AttrFloat}
	dtype := AttrSpec{Name: "dtype", Kind: AttrInt}
	normal := []AttrSpec{dtype, {Name: "mean", Kind: AttrFloat}, {Name: "scale", Kind: AttrFloat}, seed}
	uniform := []AttrSpec{dtype, {Name: "high", Kind: AttrFloat}, {Name: "low", Kind: AttrFloat}, seed}
	shape := AttrSpec{Name: "shape", Kind: AttrInts, Required: true}
	RegisterOp(
		&OpSchema{
			Name: "RandomNormal", MinOpset: 1,
			MinInputs: 0, MaxInputs: 0, MinOutputs: 1, MaxOutputs: 1,
			Attrs: append(append([]AttrSpec{}, normal...), shape),
			Infer: inferRandomShaped,
		},
		&OpSchema{
			Name: "RandomUniform", MinOpset: 1,
			MinInputs: 0, MaxInputs: 0, MinOutputs: 1, MaxOutputs: 1,
			Attrs: append(append([]AttrSpec{}, uniform...), shape),
			Infer: inferRandomShaped,
		},
		&OpSchema{
			Name: "RandomNormalLike", MinOpset: 1,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: normal,
			Infer: inferRandomLike(true),
		},
		&OpSchema{
			Name: "RandomUniformLike", MinOpset: 1,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: uniform,
			Infer: inferRandomLike(true),
		},
		&OpSchema{
			Name: "Bernoulli", MinOpset: 15,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{dtype, seed},
			Infer: inferRandomLike(false),
		},
		&OpSchema{
			Name: "Multinomial", MinOpset: 7,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{dtype, {Name: "sample_size", Kind: AttrInt}, seed},
			Infer: inferMultinomial,
		},
	)
}

// RandomFloatTypes are the output types of RandomNormal/Uniform(Like).
var RandomFloatTypes = []DType{Float32, Float64, Float16, BFloat16}

// RandomOutDType resolves the dtype attribute of a random op: the
// attribute when set, otherwise def. It checks the result against allowed.
func RandomOutDType(a Attrs, def DType, allowed []DType) (DType, bool) {
	dt := def
	if a.Has("dtype") {
		dt = DType(a.Int("dtype", 0))
	}
	for _, d := range allowed {
		if d == dt {
			return dt, true
		}
	}
	return dt, false
}

// RandomBernoulliTypes are Bernoulli's output types.
var RandomBernoulliTypes = []DType{Uint8, Uint16, Uint32, Uint64, Int8, Int16, Int32, Int64,
	BFloat16, Float16, Float32, Float64, Bool}

func inferRandomShaped(c *InferCtx) error {
	dt, ok := RandomOutDType(c.Attrs(), Float32, RandomFloatTypes)
	if !ok {
		return c.Errorf("dtype %v is not a float type", dt)
	}
	shape := c.Attrs().Ints("shape", nil)
	for _, d := range shape {
		if d < 0 {
			return c.Errorf("shape %v has a negative dim", shape)
		}
	}
	c.SetOut(0, TensorOf(dt, KnownShape(shape)))
	return nil
}

// inferRandomLike: the output has the input's shape and the dtype
// attribute's type, or the input's. floatOnly selects the output types of
// Random*Like (floats) versus Bernoulli (numeric and bool).
func inferRandomLike(floatOnly bool) func(*InferCtx) error {
	return func(c *InferCtx) error {
		in := c.In[0]
		allowed := RandomBernoulliTypes
		if floatOnly {
			allowed = RandomFloatTypes
		} else if err := c.RequireDType(0, FloatTypes...); err != nil {
			return err
		}
		dt, ok := RandomOutDType(c.Attrs(), in.DType, allowed)
		if !ok {
			return c.Errorf("output dtype %v is not allowed", dt)
		}
		out := *in
		out.DType = dt
		c.SetOut(0, out)
		return nil
	}
}

func inferMultinomial(c *InferCtx) error {
	if err := c.RequireDType(0, FloatTypes...); err != nil {
		return err
	}
	dt, ok := RandomOutDType(c.Attrs(), Int32, []DType{Int32, Int64})
	if !ok {
		return c.Errorf("dtype %v must be int32 or int64", dt)
	}
	n := c.Attrs().Int("sample_size", 1)
	if n < 0 {
		return c.Errorf("sample_size %d is negative", n)
	}
	in := c.In[0]
	batch := UnknownDim
	if in.RankKnown {
		if len(in.Shape) != 2 {
			return c.Errorf("input must be [batch_size, class_size], got %v", in.Shape)
		}
		batch = in.Shape[0]
	}
	c.SetOut(0, TensorOf(dt, Shape{batch, D(n)}))
	return nil
}
