package ir

// Op table rows of the elementwise ops: unary math, activations, binary
// arithmetic, comparison and logic, bitwise ops, the variadic Sum/Mean/
// Max/Min, Where, Clip, Cast and CastLike.
//
// Old forms are handled here and by the kernels, not rewritten away:
// `consumed_inputs` (opset < 6) is declared and ignored; the `broadcast` and
// `axis` attributes of the opset < 7 binary ops select the legacy
// broadcast, where B lines up with A starting at `axis` and the result has
// A's shape.

// Dtype sets used by the rows below.
var (
	ewFloats   = []DType{Float32, Float64, Float16, BFloat16}
	ewSigned   = []DType{Int8, Int16, Int32, Int64}
	ewUnsigned = []DType{Uint8, Uint16, Uint32, Uint64}
	ewInts     = ewJoin(ewSigned, ewUnsigned)
	ewNumeric  = ewJoin(ewFloats, ewSigned, ewUnsigned)
	ewFloat8s  = []DType{Float8E4M3FN, Float8E4M3FNUZ, Float8E5M2, Float8E5M2FNUZ}
	ewBool     = []DType{Bool}
)

func ewJoin(sets ...[]DType) []DType {
	var out []DType
	for _, s := range sets {
		out = append(out, s...)
	}
	return out
}

// Attribute specs shared by several rows.
var (
	ewConsumed  = AttrSpec{Name: "consumed_inputs", Kind: AttrInts}
	ewAlpha     = AttrSpec{Name: "alpha", Kind: AttrFloat}
	ewLegacyBin = []AttrSpec{{Name: "axis", Kind: AttrInt}, {Name: "broadcast", Kind: AttrInt}}
)

// ewUnary is a one-input op whose output has the input's type.
func ewUnary(name string, min int64, allowed []DType, attrs ...AttrSpec) *OpSchema {
	return &OpSchema{Name: name, MinOpset: min, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
		Attrs: attrs, Infer: ewInferUnary(allowed, Undefined)}
}

// ewBinary is a two-input broadcasting op. out is the output dtype
// (Undefined: input 0's). legacy marks ops whose opset < 7 form has the
// broadcast/axis attributes.
func ewBinary(name string, min int64, allowed []DType, out DType, legacy bool, attrs ...AttrSpec) *OpSchema {
	if legacy {
		attrs = append(append([]AttrSpec{}, ewLegacyBin...), attrs...)
	}
	return &OpSchema{Name: name, MinOpset: min, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
		Attrs: attrs, Infer: ewInferBinary(allowed, out, true)}
}

// ewVariadic is Sum/Mean/Max/Min: one or more inputs broadcast together.
func ewVariadic(name string, allowed []DType) *OpSchema {
	return &OpSchema{Name: name, MinOpset: 1, MinInputs: 1, MaxInputs: -1, MinOutputs: 1, MaxOutputs: 1,
		Attrs: []AttrSpec{ewConsumed}, Infer: ewInferVariadic(allowed)}
}

func init() {
	RegisterOp(
		// Unary math.
		ewUnary("Abs", 1, ewNumeric, ewConsumed),
		ewUnary("Neg", 1, ewJoin(ewFloats, ewSigned), ewConsumed),
		ewUnary("Ceil", 1, ewFloats, ewConsumed),
		ewUnary("Floor", 1, ewFloats, ewConsumed),
		ewUnary("Round", 11, ewFloats),
		ewUnary("Sqrt", 1, ewFloats, ewConsumed),
		ewUnary("Reciprocal", 1, ewFloats, ewConsumed),
		ewUnary("Exp", 1, ewFloats, ewConsumed),
		ewUnary("Log", 1, ewFloats, ewConsumed),
		ewUnary("Sin", 7, ewFloats),
		ewUnary("Cos", 7, ewFloats),
		ewUnary("Tan", 7, ewFloats),
		ewUnary("Asin", 7, ewFloats),
		ewUnary("Acos", 7, ewFloats),
		ewUnary("Atan", 7, ewFloats),
		ewUnary("Sinh", 9, ewFloats),
		ewUnary("Cosh", 9, ewFloats),
		ewUnary("Asinh", 9, ewFloats),
		ewUnary("Acosh", 9, ewFloats),
		ewUnary("Atanh", 9, ewFloats),
		ewUnary("Erf", 9, ewNumeric),
		ewUnary("Sign", 9, ewNumeric),
		ewUnary("Not", 1, ewBool),
		ewUnary("BitwiseNot", 18, ewInts),
		&OpSchema{Name: "IsNaN", MinOpset: 9, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Infer: ewInferUnary(ewJoin(ewFloats, ewFloat8s), Bool)},
		&OpSchema{Name: "IsInf", MinOpset: 10, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "detect_negative", Kind: AttrInt}, {Name: "detect_positive", Kind: AttrInt}},
			Infer: ewInferUnary(ewJoin(ewFloats, ewFloat8s), Bool)},

		// Activations.
		ewUnary("Relu", 1, ewJoin(ewFloats, ewSigned), ewConsumed),
		ewUnary("LeakyRelu", 1, ewFloats, ewAlpha, ewConsumed),
		ewUnary("Elu", 1, ewFloats, ewAlpha, ewConsumed),
		ewUnary("Selu", 1, ewFloats, ewAlpha, AttrSpec{Name: "gamma", Kind: AttrFloat}, ewConsumed),
		ewUnary("Celu", 12, ewFloats, ewAlpha),
		ewUnary("Sigmoid", 1, ewFloats, ewConsumed),
		ewUnary("HardSigmoid", 1, ewFloats, ewAlpha, AttrSpec{Name: "beta", Kind: AttrFloat}, ewConsumed),
		ewUnary("HardSwish", 14, ewFloats),
		ewUnary("Tanh", 1, ewFloats, ewConsumed),
		ewUnary("Softplus", 1, ewFloats),
		ewUnary("Softsign", 1, ewFloats),
		ewUnary("Gelu", 20, ewFloats, AttrSpec{Name: "approximate", Kind: AttrString}),
		ewUnary("Mish", 18, ewFloats),
		ewUnary("ThresholdedRelu", 10, ewFloats, ewAlpha),
		ewUnary("Shrink", 9, ewNumeric, AttrSpec{Name: "bias", Kind: AttrFloat}, AttrSpec{Name: "lambd", Kind: AttrFloat}),
		ewUnary("Swish", 24, ewFloats, ewAlpha),
		&OpSchema{Name: "PRelu", MinOpset: 1, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{ewConsumed}, Infer: ewInferPRelu},

		// Binary arithmetic.
		ewBinary("Add", 1, ewNumeric, Undefined, true, ewConsumed),
		ewBinary("Sub", 1, ewNumeric, Undefined, true, ewConsumed),
		ewBinary("Mul", 1, ewNumeric, Undefined, true, ewConsumed),
		ewBinary("Div", 1, ewNumeric, Undefined, true, ewConsumed),
		&OpSchema{Name: "Pow", MinOpset: 1, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: ewLegacyBin, Infer: ewInferPow},
		ewBinary("Mod", 10, ewNumeric, Undefined, false, AttrSpec{Name: "fmod", Kind: AttrInt}),

		// Comparison and logic.
		ewBinary("And", 1, ewBool, Bool, true),
		ewBinary("Or", 1, ewBool, Bool, true),
		ewBinary("Xor", 1, ewBool, Bool, true),
		ewBinary("Equal", 1, ewJoin(ewNumeric, ewBool, []DType{String}), Bool, true),
		ewBinary("Less", 1, ewNumeric, Bool, true),
		ewBinary("Greater", 1, ewNumeric, Bool, true),
		ewBinary("LessOrEqual", 12, ewNumeric, Bool, false),
		ewBinary("GreaterOrEqual", 12, ewNumeric, Bool, false),

		// Bitwise.
		ewBinary("BitShift", 11, ewUnsigned, Undefined, false, AttrSpec{Name: "direction", Kind: AttrString, Required: true}),
		ewBinary("BitwiseAnd", 18, ewInts, Undefined, false),
		ewBinary("BitwiseOr", 18, ewInts, Undefined, false),
		ewBinary("BitwiseXor", 18, ewInts, Undefined, false),

		// Variadic.
		ewVariadic("Sum", ewFloats),
		ewVariadic("Mean", ewFloats),
		ewVariadic("Max", ewNumeric),
		ewVariadic("Min", ewNumeric),

		// Selection and clamping.
		&OpSchema{Name: "Where", MinOpset: 9, MinInputs: 3, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Infer: ewInferWhere},
		&OpSchema{Name: "Clip", MinOpset: 1, MinInputs: 1, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "max", Kind: AttrFloat}, {Name: "min", Kind: AttrFloat}, ewConsumed},
			Infer: ewInferClip},

		// Casts. Cast-1 declared `to` as a string; the int form of opset 6
		// on is the one accepted here.
		&OpSchema{Name: "Cast", MinOpset: 6, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "to", Kind: AttrInt, Required: true},
				{Name: "saturate", Kind: AttrInt},
				{Name: "round_mode", Kind: AttrString},
			}, Infer: ewInferCast},
		&OpSchema{Name: "CastLike", MinOpset: 15, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "saturate", Kind: AttrInt},
				{Name: "round_mode", Kind: AttrString},
			}, Infer: ewInferCastLike},
	)
}

// ewCheckDType reports an error if input i's dtype is known and not allowed.
func ewCheckDType(c *InferCtx, i int, allowed []DType) error {
	if !c.Has(i) || c.In[i].DType == Undefined || allowed == nil {
		return nil
	}
	if c.In[i].Kind != KindTensor {
		return c.Errorf("input %d must be a tensor, got %v", i, c.In[i])
	}
	for _, a := range allowed {
		if c.In[i].DType == a {
			return nil
		}
	}
	return c.Errorf("input %d has dtype %v, which the op does not accept (allowed: %v)", i, c.In[i].DType, allowed)
}

func ewInferUnary(allowed []DType, out DType) func(*InferCtx) error {
	return func(c *InferCtx) error {
		if !c.Has(0) {
			return c.Errorf("input 0 is missing")
		}
		if err := ewCheckDType(c, 0, allowed); err != nil {
			return err
		}
		t := *c.In[0]
		if out != Undefined {
			t.DType = out
		}
		c.SetOut(0, t)
		return nil
	}
}

// EwLegacyBroadcast reports whether a binary node uses the opset < 7
// broadcast form, and with which axis (hasAxis false: align trailing dims).
func EwLegacyBroadcast(n *Node) (legacy bool, axis int64, hasAxis bool) {
	if n.Opset <= 0 || n.Opset >= 7 {
		return false, 0, false
	}
	if n.Attrs.Int("broadcast", 0) == 0 {
		return false, 0, false
	}
	return true, n.Attrs.Int("axis", 0), n.Attrs.Has("axis")
}

// checkNoLegacyBroadcast rejects a two-input node of opset 1 to 6
// without broadcast = 1 whose input shapes are known and differ: those
// versions broadcast only when asked to, and which of the legacy
// alignments (trailing dims, or from `axis`) was meant is unknowable.
func checkNoLegacyBroadcast(c *InferCtx, idx []int) error {
	n := c.Node
	if n.Opset <= 0 || n.Opset >= 7 || len(idx) != 2 || n.Attrs.Int("broadcast", 0) != 0 {
		return nil
	}
	a, b := c.In[idx[0]], c.In[idx[1]]
	if !a.RankKnown || !b.RankKnown {
		return nil
	}
	same := len(a.Shape) == len(b.Shape)
	for d := 0; same && d < len(a.Shape); d++ {
		if !a.Shape[d].Known() || !b.Shape[d].Known() {
			return nil
		}
		same = a.Shape[d].Size == b.Shape[d].Size
	}
	if !same {
		return c.Errorf("shapes %v and %v differ and broadcast is 0 (before opset 7 broadcasting needs broadcast = 1; the node is opset %d)", a.Shape, b.Shape, n.Opset)
	}
	return nil
}

// ewBroadcastTypes gives the broadcast result of inputs idx with dtype dt,
// honouring the legacy opset < 7 form for two-input nodes.
func ewBroadcastTypes(c *InferCtx, dt DType, idx ...int) error {
	if legacy, axis, hasAxis := EwLegacyBroadcast(c.Node); legacy && len(idx) == 2 {
		a, b := c.In[idx[0]], c.In[idx[1]]
		if !a.RankKnown {
			c.SetOut(0, UnrankedOf(dt))
			return nil
		}
		if b.RankKnown {
			start := len(a.Shape) - len(b.Shape)
			if hasAxis {
				ax := axis
				if ax < 0 {
					ax += int64(len(a.Shape))
				}
				start = int(ax)
			}
			if len(b.Shape) > len(a.Shape) || start < 0 || start+len(b.Shape) > len(a.Shape) {
				return c.Errorf("legacy broadcast: B %v does not fit into A %v at axis %d", b.Shape, a.Shape, axis)
			}
		}
		c.SetOut(0, TensorOf(dt, append(Shape{}, a.Shape...)))
		return nil
	}
	if err := checkNoLegacyBroadcast(c, idx); err != nil {
		return err
	}
	var shapes []Shape
	for _, i := range idx {
		t := c.In[i]
		if !t.RankKnown {
			c.SetOut(0, UnrankedOf(dt))
			return nil
		}
		shapes = append(shapes, t.Shape)
	}
	s, err := BroadcastShapes(shapes...)
	if err != nil {
		return c.Errorf("%v", err)
	}
	c.SetOut(0, TensorOf(dt, s))
	return nil
}

func ewInferBinary(allowed []DType, out DType, sameDType bool) func(*InferCtx) error {
	return func(c *InferCtx) error {
		if !c.Has(0) || !c.Has(1) {
			return c.Errorf("both inputs are required")
		}
		if err := ewCheckDType(c, 0, allowed); err != nil {
			return err
		}
		if sameDType {
			a, b := c.In[0].DType, c.In[1].DType
			if a != Undefined && b != Undefined && a != b {
				return c.Errorf("inputs have different dtypes %v and %v", a, b)
			}
		}
		dt := out
		if dt == Undefined {
			dt = c.In[0].DType
		}
		return ewBroadcastTypes(c, dt, 0, 1)
	}
}

func ewInferPow(c *InferCtx) error {
	if !c.Has(0) || !c.Has(1) {
		return c.Errorf("both inputs are required")
	}
	if err := ewCheckDType(c, 0, ewJoin(ewFloats, []DType{Int32, Int64})); err != nil {
		return err
	}
	if err := ewCheckDType(c, 1, ewNumeric); err != nil {
		return err
	}
	return ewBroadcastTypes(c, c.In[0].DType, 0, 1)
}

func ewInferVariadic(allowed []DType) func(*InferCtx) error {
	return func(c *InferCtx) error {
		var idx []int
		dt := Undefined
		for i := range c.In {
			if !c.Has(i) {
				continue
			}
			if err := ewCheckDType(c, i, allowed); err != nil {
				return err
			}
			if d := c.In[i].DType; d != Undefined {
				if dt != Undefined && d != dt {
					return c.Errorf("inputs have different dtypes %v and %v", dt, d)
				}
				dt = d
			}
			idx = append(idx, i)
		}
		if len(idx) == 0 {
			return c.Errorf("needs at least one input")
		}
		return ewBroadcastTypes(c, dt, idx...)
	}
}

func ewInferPRelu(c *InferCtx) error {
	if !c.Has(0) || !c.Has(1) {
		return c.Errorf("both inputs are required")
	}
	if err := ewCheckDType(c, 0, ewJoin(ewFloats, ewSigned, []DType{Uint32, Uint64})); err != nil {
		return err
	}
	x, s := c.In[0], c.In[1]
	if x.DType != Undefined && s.DType != Undefined && x.DType != s.DType {
		return c.Errorf("slope has dtype %v, expected %v", s.DType, x.DType)
	}
	if x.RankKnown && s.RankKnown && (c.Node.Opset <= 0 || c.Node.Opset >= 7) {
		r, err := BroadcastShapes(x.Shape, s.Shape)
		if err != nil {
			return c.Errorf("slope %v does not broadcast to X %v: %v", s.Shape, x.Shape, err)
		}
		if len(r) != len(x.Shape) {
			return c.Errorf("slope %v has higher rank than X %v", s.Shape, x.Shape)
		}
		for i, d := range r {
			if xd := x.Shape[i]; xd.Known() && d.Known() && d.Size != xd.Size {
				return c.Errorf("slope %v does not broadcast to X %v", s.Shape, x.Shape)
			}
		}
	}
	c.SetOut(0, *x)
	return nil
}

func ewInferWhere(c *InferCtx) error {
	for i := 0; i < 3; i++ {
		if !c.Has(i) {
			return c.Errorf("input %d is required", i)
		}
	}
	if err := ewCheckDType(c, 0, ewBool); err != nil {
		return err
	}
	a, b := c.In[1].DType, c.In[2].DType
	if a != Undefined && b != Undefined && a != b {
		return c.Errorf("X has dtype %v but Y has %v", a, b)
	}
	return ewBroadcastTypes(c, a, 0, 1, 2)
}

func ewInferClip(c *InferCtx) error {
	if !c.Has(0) {
		return c.Errorf("input 0 is missing")
	}
	if err := ewCheckDType(c, 0, ewNumeric); err != nil {
		return err
	}
	for i := 1; i < 3; i++ {
		if !c.Has(i) {
			continue
		}
		t := c.In[i]
		if t.DType != Undefined && c.In[0].DType != Undefined && t.DType != c.In[0].DType {
			return c.Errorf("input %d has dtype %v, expected %v", i, t.DType, c.In[0].DType)
		}
		if t.RankKnown {
			if n, ok := t.Shape.Concrete(); ok && NumElements(n) != 1 {
				return c.Errorf("input %d must be a scalar, has shape %v", i, t.Shape)
			}
		}
	}
	c.SetOut(0, *c.In[0])
	return nil
}

// EwCastTarget validates a Cast target dtype.
func EwCastTarget(to int64) (DType, bool) {
	d := DType(to)
	if !d.Valid() || d == Complex64 || d == Complex128 {
		return Undefined, false
	}
	return d, true
}

func ewCheckCastable(c *InferCtx) error {
	if !c.Has(0) {
		return c.Errorf("input 0 is missing")
	}
	if d := c.In[0].DType; d == Complex64 || d == Complex128 {
		return c.Errorf("casting from %v is not supported", d)
	}
	return nil
}

func ewInferCast(c *InferCtx) error {
	if err := ewCheckCastable(c); err != nil {
		return err
	}
	to, ok := EwCastTarget(c.Attrs().Int("to", 0))
	if !ok {
		return c.Errorf("attribute to=%d is not a supported data type", c.Attrs().Int("to", 0))
	}
	t := *c.In[0]
	t.DType = to
	c.SetOut(0, t)
	return nil
}

func ewInferCastLike(c *InferCtx) error {
	if err := ewCheckCastable(c); err != nil {
		return err
	}
	if !c.Has(1) {
		return c.Errorf("input 1 (target_type) is missing")
	}
	to := c.In[1].DType
	if to == Complex64 || to == Complex128 {
		return c.Errorf("casting to %v is not supported", to)
	}
	t := *c.In[0]
	t.DType = to
	c.SetOut(0, t)
	return nil
}
