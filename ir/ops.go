package ir

import (
	"fmt"
	"sort"
)

// OpSchema is one row of the op table.
type OpSchema struct {
	Domain string // "" for the default ONNX domain
	Name   string

	// MinOpset is the lowest opset of Domain whose form of the op nncc
	// accepts; the frontend rewrites older forms (attribute-vs-input
	// changes and the like) before they reach the table. MaxOpset, when
	// non-zero, is the highest.
	MinOpset, MaxOpset int64

	MinInputs, MaxInputs   int // MaxInputs < 0: variadic
	MinOutputs, MaxOutputs int // MaxOutputs < 0: variadic

	Attrs []AttrSpec

	// Infer computes output types from input types (and constant input
	// values when known). It must set every present output's type.
	Infer func(*InferCtx) error
}

// AttrSpec declares one attribute of an op.
type AttrSpec struct {
	Name     string
	Kind     AttrKind
	Required bool
}

var opTable = map[string]*OpSchema{}

func opKey(domain, name string) string {
	if domain == "ai.onnx" {
		domain = ""
	}
	return domain + "::" + name
}

// RegisterOp adds rows to the op table. It panics on a duplicate row: the
// table is built at init time from literal data.
func RegisterOp(rows ...*OpSchema) {
	for _, s := range rows {
		k := opKey(s.Domain, s.Name)
		if _, dup := opTable[k]; dup {
			panic("BUG: op registered twice: " + k)
		}
		opTable[k] = s
	}
}

// LookupOp returns the op table row for domain/name.
func LookupOp(domain, name string) (*OpSchema, bool) {
	s, ok := opTable[opKey(domain, name)]
	return s, ok
}

// Ops returns every row of the op table ordered by domain and name.
func Ops() []*OpSchema {
	out := make([]*OpSchema, 0, len(opTable))
	for _, s := range opTable {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Domain != out[j].Domain {
			return out[i].Domain < out[j].Domain
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Attr returns the spec of a declared attribute.
func (s *OpSchema) Attr(name string) (AttrSpec, bool) {
	for _, a := range s.Attrs {
		if a.Name == name {
			return a, true
		}
	}
	return AttrSpec{}, false
}

// CheckNode validates a node's arity and attributes against its row.
func (s *OpSchema) CheckNode(n *Node) error {
	if len(n.Inputs) < s.MinInputs || (s.MaxInputs >= 0 && len(n.Inputs) > s.MaxInputs) {
		return fmt.Errorf("%s expects %s inputs, got %d", s.Name, arity(s.MinInputs, s.MaxInputs), len(n.Inputs))
	}
	for i := 0; i < s.MinInputs && i < len(n.Inputs); i++ {
		if n.Inputs[i] == nil {
			return fmt.Errorf("%s: required input %d is missing", s.Name, i)
		}
	}
	if len(n.Outputs) < s.MinOutputs || (s.MaxOutputs >= 0 && len(n.Outputs) > s.MaxOutputs) {
		return fmt.Errorf("%s expects %s outputs, got %d", s.Name, arity(s.MinOutputs, s.MaxOutputs), len(n.Outputs))
	}
	for name, a := range n.Attrs {
		spec, ok := s.Attr(name)
		if !ok {
			return fmt.Errorf("%s has no attribute %q", s.Name, name)
		}
		if a.Kind != spec.Kind {
			return fmt.Errorf("%s attribute %q must be %v, got %v", s.Name, name, spec.Kind, a.Kind)
		}
	}
	for _, spec := range s.Attrs {
		if spec.Required && !n.Attrs.Has(spec.Name) {
			return fmt.Errorf("%s requires attribute %q", s.Name, spec.Name)
		}
	}
	return nil
}

func arity(lo, hi int) string {
	switch {
	case hi < 0:
		return fmt.Sprintf("at least %d", lo)
	case lo == hi:
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d to %d", lo, hi)
}

// InferCtx is what an op's Infer function sees.
type InferCtx struct {
	Node *Node
	// In holds the input types; In[i] is nil for an omitted input.
	In []*Type
	// Const holds constant input values where known (nil otherwise).
	Const []*Tensor
	// Out receives the output types, one per node output.
	Out []Type
}

// NumIn returns the number of input slots (including omitted ones).
func (c *InferCtx) NumIn() int { return len(c.In) }

// Has reports whether input i is present.
func (c *InferCtx) Has(i int) bool { return i < len(c.In) && c.In[i] != nil }

// Errorf returns an error naming the node and op.
func (c *InferCtx) Errorf(format string, args ...any) error {
	return fmt.Errorf("node %q (%s): %s", c.Node.Name, c.Node.Op, fmt.Sprintf(format, args...))
}

// Attrs returns the node's attributes.
func (c *InferCtx) Attrs() Attrs { return c.Node.Attrs }

// SetOut sets output i's type if that output is present.
func (c *InferCtx) SetOut(i int, t Type) {
	if i < len(c.Out) {
		c.Out[i] = t
	}
}

// InferNode runs the op table's Infer for n given its current input types
// and constants, and stores the result in n's output values.
func InferNode(n *Node) error {
	s, ok := LookupOp(n.Domain, n.Op)
	if !ok {
		return fmt.Errorf("node %q: unknown op %s", n.Name, opKey(n.Domain, n.Op))
	}
	if err := s.CheckNode(n); err != nil {
		return fmt.Errorf("node %q: %w", n.Name, err)
	}
	ctx := &InferCtx{Node: n, In: make([]*Type, len(n.Inputs)), Const: make([]*Tensor, len(n.Inputs)), Out: make([]Type, len(n.Outputs))}
	for i, v := range n.Inputs {
		if v != nil {
			t := v.Type
			ctx.In[i] = &t
			ctx.Const[i] = v.Const
		}
	}
	if s.Infer == nil {
		return fmt.Errorf("node %q: op %s has no type inference", n.Name, n.Op)
	}
	if err := s.Infer(ctx); err != nil {
		return err
	}
	for i, o := range n.Outputs {
		if o != nil {
			o.Type = mergeType(o.Type, ctx.Out[i])
		}
	}
	return nil
}

// mergeType keeps what inference learned, filling gaps from the declared
// type (a value_info or graph output annotation).
func mergeType(declared, inferred Type) Type {
	if inferred.DType == Undefined && inferred.Kind == KindTensor {
		return declared
	}
	if inferred.Kind != KindTensor || declared.Kind != KindTensor {
		return inferred
	}
	if !inferred.RankKnown {
		if declared.RankKnown && (declared.DType == inferred.DType || declared.DType == Undefined) {
			declared.DType = inferred.DType
			return declared
		}
		return inferred
	}
	if declared.RankKnown && len(declared.Shape) == len(inferred.Shape) {
		s := append(Shape{}, inferred.Shape...)
		for i, d := range s {
			if !d.Known() && declared.Shape[i].Known() {
				s[i] = declared.Shape[i]
			} else if !d.Known() && d.Param == "" && declared.Shape[i].Param != "" {
				s[i] = declared.Shape[i]
			}
		}
		inferred.Shape = s
	}
	return inferred
}
