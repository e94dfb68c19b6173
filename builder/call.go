package builder

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nncc/nncc/ir"
)

// Arg is a trailing argument of an op method: an optional input (a *Value,
// or nil to omit one), several inputs (Inputs), an attribute (the Attr*
// options), the node's name (Name) or its output count (NumOutputs).
type Arg interface{ applyTo(*opCall) }

// opCall collects one op method's arguments.
type opCall struct {
	inputs   []*Value
	attrs    ir.Attrs
	dupAttr  string
	name     string
	nOutputs int
}

type attrArg struct{ a *ir.Attr }

func (a attrArg) applyTo(c *opCall) {
	if c.attrs.Has(a.a.Name) {
		c.dupAttr = a.a.Name
	}
	c.attrs[a.a.Name] = a.a
}

// Attribute passes an attribute given as an ir.Attr (for attributes the op
// table does not list under the name and kind you need, the check at build
// time still applies).
func Attribute(a *ir.Attr) Arg { return attrArg{a} }

type inputsArg []*Value

func (in inputsArg) applyTo(c *opCall) { c.inputs = append(c.inputs, in...) }

// Inputs passes several inputs at once (for variadic ops such as Concat
// and Sum); nil entries are omitted optional inputs.
func Inputs(vs ...*Value) Arg { return inputsArg(vs) }

type nameArg string

func (n nameArg) applyTo(c *opCall) { c.name = string(n) }

// Name names the node (made unique within the graph; its first output takes
// the same name). By default a node is named after its op in the current
// scope.
func Name(name string) Arg { return nameArg(name) }

type numOutputsArg int

func (n numOutputsArg) applyTo(c *opCall) { c.nOutputs = int(n) }

// NumOutputs sets how many outputs a node with optional or variadic outputs
// has (by default the op's minimum, at least one).
func NumOutputs(n int) Arg { return numOutputsArg(n) }

// call adds a node for domain::op with the required inputs req followed by
// what args give, infers its output types and returns its outputs. After
// an error it returns placeholders and records the error.
func (b *Builder) call(domain, op string, req []*Value, args []Arg) []*Value {
	c := &opCall{inputs: append([]*Value{}, req...), attrs: ir.Attrs{}}
	for _, a := range args {
		if a == nil {
			c.inputs = append(c.inputs, nil)
			continue
		}
		a.applyTo(c)
	}
	nOut := max(c.nOutputs, 1)
	s, ok := ir.LookupOp(domain, op)
	if ok && c.nOutputs == 0 {
		nOut = max(s.MinOutputs, 1)
	}
	if b.st.err != nil {
		return b.invalids(nOut)
	}
	if err := b.addNode(s, domain, op, c, nOut); err != nil {
		b.failAt(op, c.inputs, err)
		return b.invalids(nOut)
	}
	return b.lastOutputs()
}

func (b *Builder) invalids(n int) []*Value {
	out := make([]*Value, n)
	for i := range out {
		out[i] = b.invalid()
	}
	return out
}

func (b *Builder) lastOutputs() []*Value {
	n := b.g.Nodes[len(b.g.Nodes)-1]
	out := make([]*Value, len(n.Outputs))
	for i, o := range n.Outputs {
		out[i] = b.wrap(o)
	}
	return out
}

func (b *Builder) addNode(s *ir.OpSchema, domain, op string, c *opCall, nOut int) error {
	if s == nil {
		return fmt.Errorf("op %s is not in nncc's op table", opName(domain, op))
	}
	if c.dupAttr != "" {
		return fmt.Errorf("attribute %q given twice", c.dupAttr)
	}
	for i, v := range c.inputs {
		switch {
		case v == nil:
			if i < s.MinInputs {
				return fmt.Errorf("required input %d is nil", i)
			}
		case v.v == nil:
			return fmt.Errorf("input %d is invalid (made after an earlier error)", i)
		case v.b.st != b.st:
			return fmt.Errorf("input %d (%q) belongs to another builder", i, v.v.Name)
		case !b.sees(v.b):
			return fmt.Errorf("input %d (%q) belongs to a subgraph and is not visible here", i, v.v.Name)
		}
	}
	ins := c.inputs
	for len(ins) > 0 && ins[len(ins)-1] == nil {
		ins = ins[:len(ins)-1] // trailing omitted inputs need no slot
	}
	dom := normDomain(domain)
	opset, ok := b.st.opsets[dom]
	if !ok {
		opset = max(s.MinOpset, 1)
		b.st.opsets[dom] = opset
	}
	if opset < s.MinOpset || (s.MaxOpset > 0 && opset > s.MaxOpset) {
		return fmt.Errorf("%s is not available at opset %d of %s (nncc handles %s)", op, opset, domainName(dom), rangeText(s))
	}
	if nOut < s.MinOutputs || (s.MaxOutputs >= 0 && nOut > s.MaxOutputs) {
		return fmt.Errorf("%d outputs requested, the op has %s", nOut, rangeOf(s.MinOutputs, s.MaxOutputs))
	}
	name := c.name
	if name == "" {
		name = op
	}
	n := &ir.Node{Name: b.uniqueNode(b.scoped(name)), Op: op, Domain: dom, Opset: opset, Attrs: c.attrs}
	for _, v := range ins {
		if v == nil {
			n.Inputs = append(n.Inputs, nil)
		} else {
			n.Inputs = append(n.Inputs, v.v)
		}
	}
	for i := 0; i < nOut; i++ {
		vn := n.Name
		if i > 0 {
			vn += ":" + strconv.Itoa(i)
		}
		n.Outputs = append(n.Outputs, &ir.Value{Name: vn})
	}
	if err := ir.InferNode(n); err != nil {
		return err
	}
	for _, o := range n.Outputs {
		o.Name = b.uniqueValue(o.Name)
	}
	b.g.AddNode(n)
	return nil
}

func opName(domain, op string) string {
	if domain == "" {
		return op
	}
	return domain + "::" + op
}

func domainName(d string) string {
	if d == "" {
		return "ai.onnx"
	}
	return d
}

func rangeText(s *ir.OpSchema) string {
	if s.MaxOpset > 0 {
		return fmt.Sprintf("opsets %d to %d", s.MinOpset, s.MaxOpset)
	}
	return fmt.Sprintf("opset %d and later", s.MinOpset)
}

func rangeOf(lo, hi int) string {
	switch {
	case hi < 0:
		return fmt.Sprintf("at least %d", lo)
	case lo == hi:
		return strconv.Itoa(lo)
	}
	return fmt.Sprintf("%d to %d", lo, hi)
}

// describeInputs renders a call's inputs for error messages:
// "(%x: float[batch,3], _, %w: float[3,3])".
func describeInputs(ins []*Value) string {
	parts := make([]string, len(ins))
	for i, v := range ins {
		if v == nil {
			parts[i] = "_"
		} else {
			parts[i] = v.String()
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// Op adds a node for any op of the table by name, with required inputs
// req and the trailing args of the typed methods (for code that chooses
// the op at run time; the typed methods are otherwise preferable).
func (b *Builder) Op(domain, op string, req []*Value, args ...Arg) []*Value {
	return b.call(domain, op, req, args)
}
