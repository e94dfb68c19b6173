package ir

import "fmt"

// Op table rows for control flow: If, Loop and Scan. The kernels live in
// kernels/control_*.go.
//
// Their bodies are graph attributes whose nodes refer directly to values of
// enclosing graphs. The passes do not visit bodies, so Infer here types the
// body as well: it gives the body inputs the types the node's inputs imply
// (refining what the file declared), runs InferNode over the body's nodes
// (best effort: a body node that cannot be inferred keeps the type the file
// declared for it), and derives the node's outputs from the body outputs.
// Where branches or iterations may disagree, dims become unknown.

func init() {
	RegisterOp(
		&OpSchema{Name: "If", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: -1,
			Attrs: []AttrSpec{{Name: "then_branch", Kind: AttrGraph, Required: true}, {Name: "else_branch", Kind: AttrGraph, Required: true}},
			Infer: inferIf},
		// M and cond may both be omitted, so no input is required by
		// position; inferLoop checks the arity.
		&OpSchema{Name: "Loop", MinOpset: 1, MinInputs: 0, MaxInputs: -1, MinOutputs: 1, MaxOutputs: -1,
			Attrs: []AttrSpec{{Name: "body", Kind: AttrGraph, Required: true}},
			Infer: inferLoop},
		// Scan-8 has an optional leading sequence_lens input and a
		// directions attribute; Scan-9 and later have the axes and
		// directions attributes instead. inferScan checks which applies.
		&OpSchema{Name: "Scan", MinOpset: 8, MinInputs: 0, MaxInputs: -1, MinOutputs: 1, MaxOutputs: -1,
			Attrs: []AttrSpec{{Name: "body", Kind: AttrGraph, Required: true}, {Name: "num_scan_inputs", Kind: AttrInt, Required: true},
				{Name: "directions", Kind: AttrInts},
				{Name: "scan_input_axes", Kind: AttrInts}, {Name: "scan_input_directions", Kind: AttrInts},
				{Name: "scan_output_axes", Kind: AttrInts}, {Name: "scan_output_directions", Kind: AttrInts}},
			Infer: inferScan},
	)
}

// InferBody types a nested graph: body input i gets in[i] (refining the
// declared type; in[i] may be less precise than the declaration), then each
// body node is inferred in order. Inference of body nodes is best effort: a
// node whose inference fails (often because the file left a type unknown)
// keeps its declared output types.
func InferBody(g *Graph, in []Type) {
	for i, v := range g.Inputs {
		if i < len(in) {
			v.Type = refineType(v.Type, in[i])
		}
	}
	for _, n := range g.Nodes {
		inferBestEffort(n)
	}
}

func inferBestEffort(n *Node) {
	defer func() { _ = recover() }()
	_ = InferNode(n)
}

// isUnknownType reports whether nothing is known about t.
func isUnknownType(t Type) bool {
	return t.Kind == KindTensor && t.DType == Undefined && !t.RankKnown
}

// refineType combines what a file declared for a value with what
// inference knows: known facts of actual win, gaps are filled from
// declared.
func refineType(declared, actual Type) Type {
	switch {
	case isUnknownType(actual):
		return declared
	case isUnknownType(declared), declared.Kind != actual.Kind:
		return actual
	}
	out := actual
	if out.DType == Undefined {
		out.DType = declared.DType
	}
	if out.Kind == KindSequence || out.Kind == KindOptional {
		var de, ae Type
		if declared.Elem != nil {
			de = *declared.Elem
		}
		if actual.Elem != nil {
			ae = *actual.Elem
		}
		e := refineType(de, ae)
		out.Elem = &e
		if out.DType == Undefined {
			out.DType = e.DType
		}
		return out
	}
	switch {
	case !actual.RankKnown:
		out.Shape, out.RankKnown = declared.Shape, declared.RankKnown
	case declared.RankKnown && len(declared.Shape) == len(actual.Shape):
		s := append(Shape{}, actual.Shape...)
		for i, d := range s {
			if !d.Known() && d.Param == "" {
				s[i] = declared.Shape[i]
			}
		}
		out.Shape = s
	}
	return out
}

// LooseType keeps t's kind and dtype and forgets every shape (also of
// sequence and optional elements): the type of a value that may change
// shape, such as a loop-carried dependency.
func LooseType(t Type) Type {
	out := Type{Kind: t.Kind, DType: t.DType}
	if t.Elem != nil {
		e := LooseType(*t.Elem)
		out.Elem = &e
	}
	return out
}

// UnionType is the type of a value that is either of a or b (the outputs
// of two If branches, a loop-carried value before and after the loop):
// dims on which they disagree become unknown. ok is false when the two
// cannot be one value (different kinds or element types).
func UnionType(a, b Type) (t Type, ok bool) {
	switch {
	case isUnknownType(a):
		return LooseType(b), true
	case isUnknownType(b):
		return LooseType(a), true
	case a.Kind != b.Kind:
		return Type{}, false
	}
	out := Type{Kind: a.Kind, DType: a.DType}
	switch {
	case a.DType == Undefined:
		out.DType = b.DType
	case b.DType != Undefined && a.DType != b.DType:
		return Type{}, false
	}
	if a.Kind == KindSequence || a.Kind == KindOptional || a.Kind == KindMap {
		var ae, be Type
		if a.Elem != nil {
			ae = *a.Elem
		}
		if b.Elem != nil {
			be = *b.Elem
		}
		e, ok := UnionType(ae, be)
		if !ok {
			return Type{}, false
		}
		out.Elem = &e
		return out, true
	}
	if !a.RankKnown || !b.RankKnown || len(a.Shape) != len(b.Shape) {
		return out, true
	}
	out.RankKnown = true
	out.Shape = make(Shape, len(a.Shape))
	for i := range a.Shape {
		da, db := a.Shape[i], b.Shape[i]
		switch {
		case da.Known() && db.Known() && da.Size == db.Size:
			out.Shape[i] = da
		case da.Param != "" && da.Param == db.Param:
			out.Shape[i] = da
		default:
			out.Shape[i] = UnknownDim
		}
	}
	return out, true
}

// constBool returns the value of a constant single-element bool input.
func (c *InferCtx) constBool(i int) (v, ok bool) {
	if i >= len(c.Const) || c.Const[i] == nil {
		return false, false
	}
	b, isBool := c.Const[i].Data.([]bool)
	if !isBool || len(b) != 1 {
		return false, false
	}
	return b[0], true
}

func inferIf(c *InferCtx) error {
	then, els := c.Attrs().Graph("then_branch"), c.Attrs().Graph("else_branch")
	if then == nil || els == nil {
		return c.Errorf("then_branch and else_branch must be graphs")
	}
	if t := c.In[0]; t != nil && t.Kind == KindTensor && t.DType != Undefined && t.DType != Bool {
		return c.Errorf("cond must be bool, got %v", t.DType)
	}
	InferBody(then, nil)
	InferBody(els, nil)
	if len(then.Outputs) != len(els.Outputs) {
		return c.Errorf("then_branch has %d outputs, else_branch %d", len(then.Outputs), len(els.Outputs))
	}
	if len(c.Out) > len(then.Outputs) {
		return c.Errorf("node has %d outputs, the branches %d", len(c.Out), len(then.Outputs))
	}
	if v, ok := c.constBool(0); ok {
		g := els
		if v {
			g = then
		}
		for i := range c.Out {
			c.Out[i] = g.Outputs[i].Type
		}
		return nil
	}
	for i := range c.Out {
		t, ok := UnionType(then.Outputs[i].Type, els.Outputs[i].Type)
		if !ok {
			return c.Errorf("output %d is %v in then_branch but %v in else_branch", i, then.Outputs[i].Type, els.Outputs[i].Type)
		}
		c.Out[i] = t
	}
	return nil
}

func inferLoop(c *InferCtx) error {
	body := c.Attrs().Graph("body")
	if body == nil {
		return c.Errorf("body must be a graph")
	}
	if len(c.In) < 2 {
		return c.Errorf("expects at least 2 inputs (M, cond; either may be empty), got %d", len(c.In))
	}
	n := len(c.In) - 2
	if len(body.Inputs) != 2+n {
		return c.Errorf("body has %d inputs, expected 2 + %d loop-carried", len(body.Inputs), n)
	}
	k := len(body.Outputs) - 1 - n
	if k < 0 {
		return c.Errorf("body has %d outputs, expected 1 + %d loop-carried + scan outputs", len(body.Outputs), n)
	}
	if len(c.Out) > n+k {
		return c.Errorf("node has %d outputs, the body yields %d loop-carried and %d scan outputs", len(c.Out), n, k)
	}
	if c.Has(0) && c.In[0].DType != Undefined && !c.In[0].DType.IsInt() {
		return c.Errorf("M must be int64, got %v", c.In[0].DType)
	}
	if c.Has(1) && c.In[1].DType != Undefined && c.In[1].DType != Bool {
		return c.Errorf("cond must be bool, got %v", c.In[1].DType)
	}
	bodyIn := []Type{TensorType(Int64), TensorType(Bool)}
	for i := 0; i < n; i++ {
		if !c.Has(2 + i) {
			return c.Errorf("loop-carried input %d is missing", i)
		}
		bodyIn = append(bodyIn, LooseType(*c.In[2+i]))
	}
	InferBody(body, bodyIn)

	trip := UnknownDim
	if m, ok := c.ConstInts(0); ok && len(m) == 1 && !c.Has(1) {
		trip = D(max(m[0], 0))
	}
	if v, ok := c.constBool(1); ok && !v {
		trip = D(0)
	}
	for i := range c.Out {
		if i < n {
			t, ok := UnionType(*c.In[2+i], body.Outputs[1+i].Type)
			if !ok && optionalCompatible(*c.In[2+i], body.Outputs[1+i].Type) {
				// An optional on entry, its element type after an
				// iteration (or the reverse): the kind itself depends
				// on the trip count.
				t, ok = Type{}, true
			}
			if !ok {
				return c.Errorf("loop-carried value %d is %v on entry but the body yields %v", i, *c.In[2+i], body.Outputs[1+i].Type)
			}
			c.Out[i] = t
			continue
		}
		e := body.Outputs[1+i].Type
		if e.Kind != KindTensor {
			return c.Errorf("scan output %d must be a tensor, the body yields %v", i-n, e)
		}
		if !e.RankKnown {
			c.Out[i] = UnrankedOf(e.DType)
			continue
		}
		c.Out[i] = TensorOf(e.DType, append(Shape{trip}, e.Shape...))
	}
	return nil
}

// ScanLayout is the arity of a Scan node: N state variables, M scan
// inputs, K scan outputs, and where its inputs start (1 at opset 8, whose
// first input is sequence_lens).
type ScanLayout struct {
	Off, N, M, K int
}

// ScanLayoutOf checks a Scan node's arity against its body.
func ScanLayoutOf(n *Node, body *Graph) (ScanLayout, error) {
	var l ScanLayout
	if n.Opset < 9 {
		l.Off = 1
	}
	l.M = int(n.Attrs.Int("num_scan_inputs", 0))
	if l.M < 1 {
		return l, fmt.Errorf("num_scan_inputs must be at least 1, got %d", l.M)
	}
	l.N = len(n.Inputs) - l.Off - l.M
	if l.N < 0 {
		return l, fmt.Errorf("%d inputs cannot hold %d scan inputs", len(n.Inputs), l.M)
	}
	if len(body.Inputs) != l.N+l.M {
		return l, fmt.Errorf("body has %d inputs, expected %d states + %d scan inputs", len(body.Inputs), l.N, l.M)
	}
	l.K = len(body.Outputs) - l.N
	if l.K < 0 {
		return l, fmt.Errorf("body has %d outputs, fewer than the %d states", len(body.Outputs), l.N)
	}
	if len(n.Outputs) > l.N+l.K {
		return l, fmt.Errorf("node has %d outputs, the body yields %d states and %d scan outputs", len(n.Outputs), l.N, l.K)
	}
	for i := l.Off; i < len(n.Inputs); i++ {
		if n.Inputs[i] == nil {
			return l, fmt.Errorf("input %d is missing", i)
		}
	}
	if n.Opset < 9 {
		for _, a := range []string{"scan_input_axes", "scan_input_directions", "scan_output_axes", "scan_output_directions"} {
			if n.Attrs.Has(a) {
				return l, fmt.Errorf("attribute %s needs opset 9 or later (the node is opset %d)", a, n.Opset)
			}
		}
	} else if n.Attrs.Has("directions") {
		return l, fmt.Errorf("attribute directions was replaced by scan_input_directions at opset 9")
	}
	return l, nil
}

// ScanAttrList returns an ints attribute of a Scan node that must have
// want entries (defaulting to zeros), each checked by valid.
func ScanAttrList(a Attrs, name string, want int, valid func(int64) bool) ([]int64, error) {
	v := a.Ints(name, nil)
	if v == nil {
		return make([]int64, want), nil
	}
	if len(v) != want {
		return nil, fmt.Errorf("%s has %d entries, expected %d", name, len(v), want)
	}
	for _, x := range v {
		if valid != nil && !valid(x) {
			return nil, fmt.Errorf("%s has an invalid entry %d", name, x)
		}
	}
	return v, nil
}

// dropAxes returns t without the given (normalised, ascending) axes.
func dropAxes(t Type, axes ...int) Type {
	if !t.RankKnown {
		return UnrankedOf(t.DType)
	}
	out := TensorOf(t.DType, nil)
	out.Shape = Shape{}
	for i, d := range t.Shape {
		skip := false
		for _, a := range axes {
			skip = skip || a == i
		}
		if !skip {
			out.Shape = append(out.Shape, d)
		}
	}
	return out
}

func dimAt(t *Type, axis int) Dim {
	if t == nil || !t.RankKnown || axis >= len(t.Shape) {
		return UnknownDim
	}
	return t.Shape[axis]
}

func inferScan(c *InferCtx) error {
	body := c.Attrs().Graph("body")
	if body == nil {
		return c.Errorf("body must be a graph")
	}
	l, err := ScanLayoutOf(c.Node, body)
	if err != nil {
		return c.Errorf("%v", err)
	}
	legacy := c.Node.Opset < 9
	bodyIn := make([]Type, 0, l.N+l.M)
	for i := 0; i < l.N; i++ {
		t := *c.In[l.Off+i]
		if legacy {
			if t.RankKnown && len(t.Shape) < 1 {
				return c.Errorf("state %d needs a batch axis, got %v", i, t)
			}
			t = dropAxes(t, 0)
		}
		bodyIn = append(bodyIn, t)
	}
	inAxes := make([]int, l.M)
	if !legacy {
		ax, err := ScanAttrList(c.Attrs(), "scan_input_axes", l.M, nil)
		if err != nil {
			return c.Errorf("%v", err)
		}
		for j := range inAxes {
			inAxes[j] = int(ax[j])
		}
	}
	seqLen, batch := UnknownDim, UnknownDim
	for j := 0; j < l.M; j++ {
		t := *c.In[l.Off+l.N+j]
		if legacy {
			if t.RankKnown && len(t.Shape) < 2 {
				return c.Errorf("scan input %d needs batch and sequence axes, got %v", j, t)
			}
			if j == 0 {
				batch, seqLen = dimAt(&t, 0), dimAt(&t, 1)
			}
			bodyIn = append(bodyIn, dropAxes(t, 0, 1))
			continue
		}
		if !t.RankKnown {
			bodyIn = append(bodyIn, UnrankedOf(t.DType))
			continue
		}
		a, err := NormAxis(int64(inAxes[j]), len(t.Shape))
		if err != nil {
			return c.Errorf("scan_input_axes[%d]: %v", j, err)
		}
		if j == 0 {
			seqLen = t.Shape[a]
		}
		bodyIn = append(bodyIn, dropAxes(t, a))
	}
	InferBody(body, bodyIn)

	var outAxes []int64
	if !legacy {
		if outAxes, err = ScanAttrList(c.Attrs(), "scan_output_axes", l.K, nil); err != nil {
			return c.Errorf("%v", err)
		}
	}
	for i := range c.Out {
		if i < l.N {
			t := *c.In[l.Off+i]
			if t.DType == Undefined {
				t = body.Outputs[i].Type
			}
			c.Out[i] = t
			continue
		}
		e := body.Outputs[i].Type
		if e.Kind != KindTensor {
			return c.Errorf("scan output %d must be a tensor, the body yields %v", i-l.N, e)
		}
		if !e.RankKnown {
			c.Out[i] = UnrankedOf(e.DType)
			continue
		}
		if legacy {
			c.Out[i] = TensorOf(e.DType, append(Shape{batch, seqLen}, e.Shape...))
			continue
		}
		a, err := NormAxis(outAxes[i-l.N], len(e.Shape)+1)
		if err != nil {
			return c.Errorf("scan_output_axes[%d]: %v", i-l.N, err)
		}
		s := append(append(append(Shape{}, e.Shape[:a]...), seqLen), e.Shape[a:]...)
		c.Out[i] = TensorOf(e.DType, s)
	}
	return nil
}

// optionalCompatible reports whether one of a and b is an optional whose
// element type could be the other.
func optionalCompatible(a, b Type) bool {
	if b.Kind == KindOptional && a.Kind != KindOptional {
		a, b = b, a
	}
	if a.Kind != KindOptional || b.Kind == KindOptional {
		return false
	}
	_, ok := UnionType(ElemType(a), b)
	return ok
}
