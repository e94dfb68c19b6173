package ir

// Op table rows for the ai.onnx.ml domain: ArrayFeatureExtractor,
// Binarizer, LabelEncoder, TreeEnsemble, Scaler, Normalizer, Imputer,
// FeatureVectorizer, OneHotEncoder, CategoryMapper, LinearRegressor and
// LinearClassifier.

// MLDomain is the domain of the classical machine-learning operators.
const MLDomain = "ai.onnx.ml"

func init() {
	ints := func(name string, req bool) AttrSpec { return AttrSpec{Name: name, Kind: AttrInts, Required: req} }
	tensor := func(name string, req bool) AttrSpec { return AttrSpec{Name: name, Kind: AttrTensor, Required: req} }
	RegisterOp(
		&OpSchema{
			Domain: MLDomain, Name: "ArrayFeatureExtractor", MinOpset: 1,
			MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Infer: inferArrayFeatureExtractor,
		},
		&OpSchema{
			Domain: MLDomain, Name: "Binarizer", MinOpset: 1,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "threshold", Kind: AttrFloat}},
			Infer: inferMLSameNumeric,
		},
		&OpSchema{
			Domain: MLDomain, Name: "LabelEncoder", MinOpset: 1,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "classes_strings", Kind: AttrStrings},
				{Name: "default_float", Kind: AttrFloat},
				{Name: "default_int64", Kind: AttrInt},
				{Name: "default_string", Kind: AttrString},
				tensor("default_tensor", false),
				{Name: "keys_floats", Kind: AttrFloats},
				ints("keys_int64s", false),
				{Name: "keys_strings", Kind: AttrStrings},
				tensor("keys_tensor", false),
				{Name: "values_floats", Kind: AttrFloats},
				ints("values_int64s", false),
				{Name: "values_strings", Kind: AttrStrings},
				tensor("values_tensor", false),
			},
			Infer: inferLabelEncoder,
		},
		&OpSchema{
			Domain: MLDomain, Name: "TreeEnsemble", MinOpset: 5,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "aggregate_function", Kind: AttrInt},
				ints("leaf_targetids", true),
				tensor("leaf_weights", true),
				tensor("membership_values", false),
				{Name: "n_targets", Kind: AttrInt},
				ints("nodes_falseleafs", true),
				ints("nodes_falsenodeids", true),
				ints("nodes_featureids", true),
				tensor("nodes_hitrates", false),
				ints("nodes_missing_value_tracks_true", false),
				tensor("nodes_modes", true),
				tensor("nodes_splits", true),
				ints("nodes_trueleafs", true),
				ints("nodes_truenodeids", true),
				{Name: "post_transform", Kind: AttrInt},
				ints("tree_roots", true),
			},
			Infer: inferTreeEnsemble,
		},
		&OpSchema{
			Domain: MLDomain, Name: "Scaler", MinOpset: 1,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "offset", Kind: AttrFloats}, {Name: "scale", Kind: AttrFloats}},
			Infer: inferMLToFloat,
		},
		&OpSchema{
			Domain: MLDomain, Name: "Normalizer", MinOpset: 1,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "norm", Kind: AttrString}},
			Infer: inferMLToFloat,
		},
		&OpSchema{
			Domain: MLDomain, Name: "Imputer", MinOpset: 1,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "imputed_value_floats", Kind: AttrFloats}, ints("imputed_value_int64s", false),
				{Name: "replaced_value_float", Kind: AttrFloat}, {Name: "replaced_value_int64", Kind: AttrInt},
			},
			Infer: inferMLSameNumeric,
		},
		&OpSchema{
			Domain: MLDomain, Name: "FeatureVectorizer", MinOpset: 1,
			MinInputs: 1, MaxInputs: -1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{ints("inputdimensions", false)},
			Infer: inferFeatureVectorizer,
		},
		&OpSchema{
			Domain: MLDomain, Name: "OneHotEncoder", MinOpset: 1,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{ints("cats_int64s", false), {Name: "cats_strings", Kind: AttrStrings}, {Name: "zeros", Kind: AttrInt}},
			Infer: inferMLOneHot,
		},
		&OpSchema{
			Domain: MLDomain, Name: "CategoryMapper", MinOpset: 1,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				ints("cats_int64s", false), {Name: "cats_strings", Kind: AttrStrings},
				{Name: "default_int64", Kind: AttrInt}, {Name: "default_string", Kind: AttrString},
			},
			Infer: inferCategoryMapper,
		},
		&OpSchema{
			Domain: MLDomain, Name: "LinearRegressor", MinOpset: 1,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "coefficients", Kind: AttrFloats}, {Name: "intercepts", Kind: AttrFloats},
				{Name: "post_transform", Kind: AttrString}, {Name: "targets", Kind: AttrInt},
			},
			Infer: inferLinearRegressor,
		},
		&OpSchema{
			Domain: MLDomain, Name: "LinearClassifier", MinOpset: 1,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 2, MaxOutputs: 2,
			Attrs: []AttrSpec{
				ints("classlabels_ints", false), {Name: "classlabels_strings", Kind: AttrStrings},
				{Name: "coefficients", Kind: AttrFloats, Required: true}, {Name: "intercepts", Kind: AttrFloats},
				{Name: "multi_class", Kind: AttrInt}, {Name: "post_transform", Kind: AttrString},
			},
			Infer: inferLinearClassifier,
		},
	)
}

// MLNumericTypes are the tensor types most ai.onnx.ml ops accept.
var MLNumericTypes = []DType{Float32, Float64, Int64, Int32}

func inferMLSameNumeric(c *InferCtx) error {
	if err := c.RequireDType(0, MLNumericTypes...); err != nil {
		return err
	}
	c.SetOut(0, *c.In[0])
	return nil
}

// inferArrayFeatureExtractor: X [..., N], indices Y → [..., len(Y)];
// a 1-D X gives [1, len(Y)].
func inferArrayFeatureExtractor(c *InferCtx) error {
	if err := c.RequireDType(0, Float32, Float64, Int64, Int32, String); err != nil {
		return err
	}
	if err := c.RequireDType(1, Int64); err != nil {
		return err
	}
	x, y := c.In[0], c.In[1]
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	if len(x.Shape) == 0 {
		return c.Errorf("input 0 must have rank >= 1")
	}
	n := UnknownDim
	if y.RankKnown {
		if s, ok := y.Shape.Concrete(); ok {
			n = D(int64(NumElements(s)))
		}
	}
	out := Shape{D(1), n}
	if len(x.Shape) > 1 {
		out = append(append(Shape{}, x.Shape[:len(x.Shape)-1]...), n)
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

// LabelEncoderTypes returns the key (input) and value (output) dtypes of a
// LabelEncoder node: from the keys_*/values_* attributes in opset 2+, and
// from the input type in opset 1 (string ↔ int64).
func LabelEncoderTypes(n *Node, in DType) (key, val DType, err error) {
	a := n.Attrs
	if n.Opset == 1 {
		switch in {
		case String:
			return String, Int64, nil
		case Int64:
			return Int64, String, nil
		case Undefined:
			return Undefined, Undefined, nil
		}
		return 0, 0, errLabelEncoder("opset 1 input must be string or int64")
	}
	pick := func(prefix string) (DType, error) {
		found := DType(Undefined)
		count := 0
		for _, p := range []struct {
			name string
			dt   DType
		}{{"_floats", Float32}, {"_int64s", Int64}, {"_strings", String}, {"_tensor", Undefined}} {
			if !a.Has(prefix + p.name) {
				continue
			}
			count++
			found = p.dt
			if p.dt == Undefined {
				t := a.Tensor(prefix + p.name)
				if t == nil {
					return 0, errLabelEncoder(prefix + "_tensor is not a tensor")
				}
				found = t.DType
			}
		}
		if count != 1 {
			return 0, errLabelEncoder("exactly one " + prefix + "_* attribute must be set")
		}
		switch found {
		case String, Int64, Float32, Int32, Int16, Float64:
			return found, nil
		}
		return 0, errLabelEncoder(prefix + "_tensor has unsupported dtype " + found.String())
	}
	if key, err = pick("keys"); err != nil {
		return 0, 0, err
	}
	if val, err = pick("values"); err != nil {
		return 0, 0, err
	}
	return key, val, nil
}

type errLabelEncoder string

func (e errLabelEncoder) Error() string { return string(e) }

func inferLabelEncoder(c *InferCtx) error {
	key, val, err := LabelEncoderTypes(c.Node, c.In[0].DType)
	if err != nil {
		return c.Errorf("%v", err)
	}
	if key != Undefined && c.In[0].DType != Undefined && c.In[0].DType != key {
		return c.Errorf("input has dtype %v but the keys are %v", c.In[0].DType, key)
	}
	out := *c.In[0]
	out.DType = val
	c.SetOut(0, out)
	return nil
}

// inferTreeEnsemble: X [N, F] → [N, n_targets].
func inferTreeEnsemble(c *InferCtx) error {
	if err := c.RequireDType(0, Float32, Float64, Float16); err != nil {
		return err
	}
	x := c.In[0]
	targets := c.Attrs().Int("n_targets", -1)
	if targets < 0 {
		for _, t := range c.Attrs().Ints("leaf_targetids", nil) {
			targets = max(targets, t+1)
		}
		targets = max(targets, 0)
	}
	batch := UnknownDim
	if x.RankKnown {
		if len(x.Shape) != 2 {
			return c.Errorf("input must be [N, F], got %v", x.Shape)
		}
		batch = x.Shape[0]
	}
	c.SetOut(0, TensorOf(x.DType, Shape{batch, D(targets)}))
	return nil
}

func inferMLToFloat(c *InferCtx) error {
	if err := c.RequireDType(0, MLNumericTypes...); err != nil {
		return err
	}
	out := *c.In[0]
	out.DType = Float32
	c.SetOut(0, out)
	return nil
}

// mlRows returns N for an [N, C] or [C] input (1 for [C]).
func mlRows(t *Type) Dim {
	if t.RankKnown && len(t.Shape) == 2 {
		return t.Shape[0]
	}
	if t.RankKnown && len(t.Shape) == 1 {
		return D(1)
	}
	return UnknownDim
}

// inferFeatureVectorizer: [N, sum(inputdimensions)] floats.
func inferFeatureVectorizer(c *InferCtx) error {
	for i := range c.In {
		if err := c.RequireDType(i, MLNumericTypes...); err != nil {
			return err
		}
	}
	total := int64(0)
	for _, d := range c.Attrs().Ints("inputdimensions", nil) {
		if d < 0 {
			return c.Errorf("inputdimensions has a negative entry")
		}
		total += d
	}
	c.SetOut(0, TensorOf(Float32, Shape{mlRows(c.In[0]), D(total)}))
	return nil
}

func inferMLOneHot(c *InferCtx) error {
	if err := c.RequireDType(0, String, Int64, Int32, Float32, Float64); err != nil {
		return err
	}
	n := len(c.Attrs().Ints("cats_int64s", nil)) + len(c.Attrs().Strings("cats_strings", nil))
	in := c.In[0]
	if !in.RankKnown {
		c.SetOut(0, UnrankedOf(Float32))
		return nil
	}
	c.SetOut(0, TensorOf(Float32, append(append(Shape{}, in.Shape...), D(int64(n)))))
	return nil
}

func inferCategoryMapper(c *InferCtx) error {
	if err := c.RequireDType(0, String, Int64); err != nil {
		return err
	}
	out := *c.In[0]
	out.DType = String
	if c.In[0].DType == String {
		out.DType = Int64
	}
	c.SetOut(0, out)
	return nil
}

func inferLinearRegressor(c *InferCtx) error {
	if err := c.RequireDType(0, MLNumericTypes...); err != nil {
		return err
	}
	targets := c.Attrs().Int("targets", 1)
	if targets < 1 {
		return c.Errorf("targets must be positive, got %d", targets)
	}
	c.SetOut(0, TensorOf(Float32, Shape{mlRows(c.In[0]), D(targets)}))
	return nil
}

// inferLinearClassifier: labels [N] (int64 or string) and scores [N, E],
// E being the number of classes (2 for one coefficient row and 2 labels).
func inferLinearClassifier(c *InferCtx) error {
	if err := c.RequireDType(0, MLNumericTypes...); err != nil {
		return err
	}
	a := c.Attrs()
	ints, strs := a.Ints("classlabels_ints", nil), a.Strings("classlabels_strings", nil)
	if (ints == nil) == (strs == nil) {
		return c.Errorf("exactly one of classlabels_ints and classlabels_strings must be set")
	}
	labels := Int64
	if strs != nil {
		labels = String
	}
	n := mlRows(c.In[0])
	c.SetOut(0, TensorOf(labels, Shape{n}))
	classes := len(ints) + len(strs)
	coef := int64(len(a.Floats("coefficients", nil)))
	scores := UnknownDim
	if x := c.In[0]; x.RankKnown && len(x.Shape) >= 1 && x.Shape[len(x.Shape)-1].Known() {
		if f := x.Shape[len(x.Shape)-1].Size; f > 0 && coef%f == 0 {
			e := coef / f
			if e == 1 && classes == 2 {
				e = 2
			}
			scores = D(e)
		}
	}
	c.SetOut(1, TensorOf(Float32, Shape{n, scores}))
	return nil
}
