package ir

// Op table rows for sequences and optionals: SequenceConstruct,
// SequenceEmpty, SequenceAt, SequenceInsert, SequenceErase,
// SequenceLength, SplitToSequence, ConcatFromSequence, SequenceMap,
// Optional, OptionalHasElement and OptionalGetElement. The kernels live in
// kernels/sequence*.go and kernels/optional.go.
//
// A sequence's static type carries one element type (Type.Elem) that holds
// for every element: where elements may differ, its dims are unknown.

func init() {
	RegisterOp(
		&OpSchema{Name: "SequenceConstruct", MinOpset: 11, MinInputs: 1, MaxInputs: -1, MinOutputs: 1, MaxOutputs: 1, Infer: inferSequenceConstruct},
		&OpSchema{Name: "SequenceEmpty", MinOpset: 11, MinInputs: 0, MaxInputs: 0, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "dtype", Kind: AttrInt}}, Infer: inferSequenceEmpty},
		&OpSchema{Name: "SequenceAt", MinOpset: 11, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1, Infer: inferSequenceAt},
		&OpSchema{Name: "SequenceInsert", MinOpset: 11, MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1, Infer: inferSequenceInsert},
		&OpSchema{Name: "SequenceErase", MinOpset: 11, MinInputs: 1, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1, Infer: inferSequenceErase},
		&OpSchema{Name: "SequenceLength", MinOpset: 11, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1, Infer: inferSequenceLength},
		&OpSchema{Name: "SplitToSequence", MinOpset: 11, MinInputs: 1, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}, {Name: "keepdims", Kind: AttrInt}}, Infer: inferSplitToSequence},
		&OpSchema{Name: "ConcatFromSequence", MinOpset: 11, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt, Required: true}, {Name: "new_axis", Kind: AttrInt}}, Infer: inferConcatFromSequence},
		&OpSchema{Name: "SequenceMap", MinOpset: 17, MinInputs: 1, MaxInputs: -1, MinOutputs: 1, MaxOutputs: -1,
			Attrs: []AttrSpec{{Name: "body", Kind: AttrGraph, Required: true}}, Infer: inferSequenceMap},
		&OpSchema{Name: "Optional", MinOpset: 15, MinInputs: 0, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "type", Kind: AttrTypeProto}}, Infer: inferOptional},
		&OpSchema{Name: "OptionalHasElement", MinOpset: 15, MinInputs: 0, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1, Infer: inferOptionalHasElement},
		&OpSchema{Name: "OptionalGetElement", MinOpset: 15, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1, Infer: inferOptionalGetElement},
	)
}

// SeqOf returns the type of a sequence of elem.
func SeqOf(elem Type) Type { return Type{Kind: KindSequence, DType: elem.DType, Elem: &elem} }

// OptionalOf returns the type of an optional holding elem.
func OptionalOf(elem Type) Type { return Type{Kind: KindOptional, DType: elem.DType, Elem: &elem} }

// ElemType returns the element type of a sequence or optional type.
func ElemType(t Type) Type {
	if t.Elem != nil {
		return *t.Elem
	}
	return UnrankedOf(t.DType)
}

// seqInput checks that input i is a sequence (or not yet known) and
// returns its type.
func (c *InferCtx) seqInput(i int) (Type, error) {
	t := *c.In[i]
	if isUnknownType(t) {
		return Type{Kind: KindSequence}, nil
	}
	if t.Kind != KindSequence {
		return t, c.Errorf("input %d must be a sequence, got %v", i, t)
	}
	return t, nil
}

// positionInput checks an optional position input: a scalar int32/int64.
func (c *InferCtx) positionInput(i int) error {
	if !c.Has(i) {
		return nil
	}
	t := c.In[i]
	if t.DType != Undefined && t.DType != Int32 && t.DType != Int64 {
		return c.Errorf("position must be int32 or int64, got %v", t.DType)
	}
	// The spec asks for a scalar; the ONNX tests also use shape [1].
	if t.RankKnown {
		if s, ok := t.Shape.Concrete(); ok && NumElements(s) != 1 {
			return c.Errorf("position must be a scalar, got %v", *t)
		}
	}
	return nil
}

// seqElem returns the element type of sequence input i (whose type is s).
// For a constant sequence it is the union of its items' types: the type a
// folded constant carries describes only its first item.
func (c *InferCtx) seqElem(i int, s Type) Type {
	if i < len(c.Const) && c.Const[i] != nil && c.Const[i].Kind == KindSequence && len(c.Const[i].Items) > 0 {
		e := TypeOfTensor(c.Const[i].Items[0])
		for _, it := range c.Const[i].Items[1:] {
			e, _ = UnionType(e, TypeOfTensor(it))
		}
		return e
	}
	e := ElemType(s)
	if e.DType == Undefined {
		e.DType = s.DType
	}
	return e
}

// seqConstLen returns the number of items of a constant sequence input.
func (c *InferCtx) seqConstLen(i int) (int, bool) {
	if i < len(c.Const) && c.Const[i] != nil && c.Const[i].Kind == KindSequence {
		return len(c.Const[i].Items), true
	}
	return 0, false
}

func inferSequenceConstruct(c *InferCtx) error {
	var elem Type
	for i, t := range c.In {
		if t == nil {
			return c.Errorf("input %d is missing", i)
		}
		if t.Kind != KindTensor {
			return c.Errorf("input %d must be a tensor, got %v", i, *t)
		}
		if i == 0 {
			elem = *t
			continue
		}
		if elem.DType != Undefined && t.DType != Undefined && t.DType != elem.DType {
			return c.Errorf("input %d has dtype %v, input 0 has %v", i, t.DType, elem.DType)
		}
		elem, _ = UnionType(elem, *t)
	}
	c.SetOut(0, SeqOf(elem))
	return nil
}

func inferSequenceEmpty(c *InferCtx) error {
	dt := DType(c.Attrs().Int("dtype", int64(Float32)))
	if !dt.Valid() {
		return c.Errorf("dtype %d is not a known element type", int64(dt))
	}
	c.SetOut(0, SeqOf(UnrankedOf(dt)))
	return nil
}

func inferSequenceAt(c *InferCtx) error {
	s, err := c.seqInput(0)
	if err != nil {
		return err
	}
	if err := c.positionInput(1); err != nil {
		return err
	}
	c.SetOut(0, c.seqElem(0, s))
	return nil
}

func inferSequenceInsert(c *InferCtx) error {
	s, err := c.seqInput(0)
	if err != nil {
		return err
	}
	if err := c.positionInput(2); err != nil {
		return err
	}
	t := *c.In[1]
	if t.Kind != KindTensor {
		return c.Errorf("tensor input must be a tensor, got %v", t)
	}
	if s.DType != Undefined && t.DType != Undefined && s.DType != t.DType {
		return c.Errorf("cannot insert a %v tensor into a sequence of %v", t.DType, s.DType)
	}
	elem := t
	if n, ok := c.seqConstLen(0); !ok || n > 0 {
		elem, _ = UnionType(c.seqElem(0, s), t)
		if elem.DType == Undefined {
			elem.DType = t.DType
		}
	}
	c.SetOut(0, SeqOf(elem))
	return nil
}

func inferSequenceErase(c *InferCtx) error {
	s, err := c.seqInput(0)
	if err != nil {
		return err
	}
	if err := c.positionInput(1); err != nil {
		return err
	}
	if _, ok := c.seqConstLen(0); ok {
		s = SeqOf(c.seqElem(0, s))
	}
	c.SetOut(0, s)
	return nil
}

func inferSequenceLength(c *InferCtx) error {
	if _, err := c.seqInput(0); err != nil {
		return err
	}
	c.SetOut(0, TensorType(Int64))
	return nil
}

func inferSplitToSequence(c *InferCtx) error {
	t := *c.In[0]
	if t.Kind != KindTensor {
		return c.Errorf("input must be a tensor, got %v", t)
	}
	if c.Has(1) && c.In[1].DType != Undefined && c.In[1].DType != Int32 && c.In[1].DType != Int64 {
		return c.Errorf("split must be int32 or int64, got %v", c.In[1].DType)
	}
	if !t.RankKnown {
		c.SetOut(0, SeqOf(UnrankedOf(t.DType)))
		return nil
	}
	axis, err := NormAxis(c.Attrs().Int("axis", 0), len(t.Shape))
	if err != nil {
		return c.Errorf("%v", err)
	}
	elem := TensorOf(t.DType, append(Shape{}, t.Shape...))
	if !c.Has(1) {
		if c.Attrs().Int("keepdims", 1) == 0 {
			elem = dropAxes(t, axis)
		} else {
			elem.Shape[axis] = D(1)
		}
		c.SetOut(0, SeqOf(elem))
		return nil
	}
	elem.Shape[axis] = UnknownDim
	split, ok := c.ConstInts(1)
	d := t.Shape[axis]
	switch {
	case !ok:
	case c.Const[1].Rank() == 0 && len(split) == 1:
		// Chunks of split[0]; all equal when it divides the dim.
		if s := split[0]; s > 0 && d.Known() && d.Size%s == 0 {
			elem.Shape[axis] = D(s)
		}
	case c.Const[1].Rank() == 1 && len(split) > 0:
		same := true
		for _, s := range split {
			same = same && s == split[0]
		}
		if same {
			elem.Shape[axis] = D(split[0])
		}
	}
	c.SetOut(0, SeqOf(elem))
	return nil
}

func inferConcatFromSequence(c *InferCtx) error {
	s, err := c.seqInput(0)
	if err != nil {
		return err
	}
	elem := c.seqElem(0, s)
	dt := elem.DType
	if !elem.RankKnown {
		c.SetOut(0, UnrankedOf(dt))
		return nil
	}
	r := len(elem.Shape)
	newAxis := c.Attrs().Int("new_axis", 0)
	if newAxis != 0 && newAxis != 1 {
		return c.Errorf("new_axis must be 0 or 1, got %d", newAxis)
	}
	n, known := c.seqConstLen(0)
	if newAxis == 1 {
		a, err := NormAxis(c.Attrs().Int("axis", 0), r+1)
		if err != nil {
			return c.Errorf("%v", err)
		}
		d := UnknownDim
		if known {
			d = D(int64(n))
		}
		out := append(append(append(Shape{}, elem.Shape[:a]...), d), elem.Shape[a:]...)
		c.SetOut(0, TensorOf(dt, out))
		return nil
	}
	a, err := NormAxis(c.Attrs().Int("axis", 0), r)
	if err != nil {
		return c.Errorf("%v", err)
	}
	out := append(Shape{}, elem.Shape...)
	out[a] = UnknownDim
	if known && elem.Shape[a].Known() {
		out[a] = D(int64(n) * elem.Shape[a].Size)
	}
	c.SetOut(0, TensorOf(dt, out))
	return nil
}

func inferSequenceMap(c *InferCtx) error {
	body := c.Attrs().Graph("body")
	if body == nil {
		return c.Errorf("body must be a graph")
	}
	if len(body.Inputs) != len(c.In) {
		return c.Errorf("body has %d inputs, the node %d", len(body.Inputs), len(c.In))
	}
	if len(body.Outputs) != len(c.Out) {
		return c.Errorf("body has %d outputs, the node %d", len(body.Outputs), len(c.Out))
	}
	if _, err := c.seqInput(0); err != nil {
		return err
	}
	in := make([]Type, len(c.In))
	for i, t := range c.In {
		if t == nil {
			return c.Errorf("input %d is missing", i)
		}
		in[i] = *t
		if t.Kind == KindSequence {
			in[i] = c.seqElem(i, *t)
		}
	}
	InferBody(body, in)
	for i := range c.Out {
		e := body.Outputs[i].Type
		if e.Kind != KindTensor {
			return c.Errorf("body output %d must be a tensor, got %v", i, e)
		}
		c.Out[i] = SeqOf(e)
	}
	return nil
}

func inferOptional(c *InferCtx) error {
	if c.Has(0) {
		t := *c.In[0]
		if t.Kind == KindOptional {
			return c.Errorf("input must be a tensor or a sequence, got %v", t)
		}
		c.SetOut(0, OptionalOf(t))
		return nil
	}
	a, ok := c.Attrs()["type"]
	if !ok || a.Type == nil {
		return c.Errorf("an Optional without input needs the type attribute")
	}
	if a.Type.Kind != KindTensor && a.Type.Kind != KindSequence {
		return c.Errorf("type must be a tensor or sequence type, got %v", *a.Type)
	}
	c.SetOut(0, OptionalOf(*a.Type))
	return nil
}

func inferOptionalHasElement(c *InferCtx) error {
	// A plain tensor or sequence input counts as present at every opset
	// (see kernels/optional.go); only the omitted input is new in 18.
	if c.Node.Opset < 18 && !c.Has(0) {
		return c.Errorf("opset %d requires the input", c.Node.Opset)
	}
	c.SetOut(0, TensorType(Bool))
	return nil
}

func inferOptionalGetElement(c *InferCtx) error {
	t := *c.In[0]
	switch {
	case t.Kind == KindOptional:
		c.SetOut(0, ElemType(t))
	case isUnknownType(t):
		c.SetOut(0, Type{})
	default:
		c.SetOut(0, t)
	}
	return nil
}
