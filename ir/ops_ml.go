package ir

// Op table rows for the ai.onnx.ml domain: ArrayFeatureExtractor,
// Binarizer, LabelEncoder and TreeEnsemble.

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
