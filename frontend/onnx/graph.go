package onnx

import (
	"fmt"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// scope maps names to values. Subgraphs get a child scope: a name not
// defined in the subgraph resolves to the enclosing graph's value, so
// subgraph nodes point directly at outer values.
type scope struct {
	parent *scope
	vals   map[string]*ir.Value
}

func (s *scope) lookup(name string) *ir.Value {
	for ; s != nil; s = s.parent {
		if v, ok := s.vals[name]; ok {
			return v
		}
	}
	return nil
}

// item is a node to decode together with the opset imports in force for it
// (a function body's own, or the model's).
type item struct {
	np     *onnxpb.NodeProto
	opsets map[string]int64
	fn     string // the inlined function it comes from, for messages
}

// graph decodes one (sub)graph. parent is the enclosing scope (nil at the
// top level) and opsets the imports its nodes use.
func (d *decoder) graph(gp *onnxpb.GraphProto, parent *scope, opsets map[string]int64, depth int) (*ir.Graph, error) {
	if depth > d.opts.limits.MaxNesting {
		return nil, &LimitError{Limit: "MaxNesting", Value: int64(d.opts.limits.MaxNesting), What: fmt.Sprintf("nesting of graph %q", gp.Name)}
	}
	g := &ir.Graph{Name: gp.Name}
	sc := &scope{parent: parent, vals: map[string]*ir.Value{}}
	define := func(v *ir.Value, what string) error {
		if _, dup := sc.vals[v.Name]; dup {
			return fmt.Errorf("graph %q: %s %q is defined twice", gp.Name, what, v.Name)
		}
		sc.vals[v.Name] = v
		return nil
	}

	// Initializers become constants. An input with the same name is the
	// constant too (ONNX lets inputs be overridden; nncc freezes them).
	for _, tp := range gp.Initializer {
		if tp.Name == "" {
			return nil, fmt.Errorf("graph %q: initializer without a name", gp.Name)
		}
		t, err := d.tensor(tp)
		if err != nil {
			return nil, fmt.Errorf("graph %q: initializer: %w", gp.Name, err)
		}
		v := &ir.Value{Name: tp.Name, Type: ir.TypeOfTensor(t), Const: t}
		if err := define(v, "initializer"); err != nil {
			return nil, err
		}
		g.Constants = append(g.Constants, v)
	}
	for _, sp := range gp.SparseInitializer {
		name := sp.GetValues().GetName()
		if name == "" {
			return nil, fmt.Errorf("graph %q: sparse initializer without a name", gp.Name)
		}
		t, err := d.sparseFromProto(sp)
		if err != nil {
			return nil, fmt.Errorf("graph %q: sparse initializer: %w", gp.Name, err)
		}
		v := &ir.Value{Name: name, Type: ir.TypeOfTensor(t), Const: t}
		if err := define(v, "initializer"); err != nil {
			return nil, err
		}
		g.Constants = append(g.Constants, v)
	}
	inputs := map[string]bool{}
	for _, vi := range gp.Input {
		if vi.Name == "" {
			return nil, fmt.Errorf("graph %q: input without a name", gp.Name)
		}
		if inputs[vi.Name] {
			return nil, fmt.Errorf("graph %q: input %q is listed twice", gp.Name, vi.Name)
		}
		inputs[vi.Name] = true
		if _, isConst := sc.vals[vi.Name]; isConst {
			continue
		}
		t, err := typeFromProto(vi.Type)
		if err != nil {
			return nil, fmt.Errorf("graph %q: input %q: %w", gp.Name, vi.Name, err)
		}
		v := &ir.Value{Name: vi.Name, Type: t}
		if err := define(v, "input"); err != nil {
			return nil, err
		}
		g.Inputs = append(g.Inputs, v)
	}

	// Declared types of intermediate values and outputs.
	declared := map[string]ir.Type{}
	for _, list := range [][]*onnxpb.ValueInfoProto{gp.ValueInfo, gp.Output} {
		for _, vi := range list {
			if vi.Type == nil {
				continue
			}
			t, err := typeFromProto(vi.Type)
			if err != nil {
				return nil, fmt.Errorf("graph %q: value %q: %w", gp.Name, vi.Name, err)
			}
			declared[vi.Name] = t
		}
	}

	items, err := d.expand(gp.Node, opsets, depth, "", nil)
	if err != nil {
		return nil, err
	}
	items, err = order(items)
	if err != nil {
		return nil, fmt.Errorf("graph %q: %w", gp.Name, err)
	}
	for _, it := range items {
		n, err := d.node(it, sc, depth)
		if err != nil {
			return nil, err
		}
		for _, o := range n.Outputs {
			if o == nil {
				continue
			}
			o.Type = declared[o.Name]
			if err := define(o, "value"); err != nil {
				return nil, fmt.Errorf("node %q (%s): %w", n.Name, n.Op, err)
			}
		}
		g.AddNode(n)
	}

	listed := map[string]bool{}
	for _, vi := range gp.Output {
		if listed[vi.Name] {
			return nil, fmt.Errorf("graph %q: output %q is listed twice", gp.Name, vi.Name)
		}
		listed[vi.Name] = true
		v := sc.lookup(vi.Name)
		if v == nil {
			return nil, fmt.Errorf("graph %q: output %q is not defined", gp.Name, vi.Name)
		}
		g.Outputs = append(g.Outputs, v)
	}
	return g, nil
}

// node decodes one node: its inputs resolve in sc, its attributes (and
// subgraphs) are decoded, and fresh values are made for its outputs.
func (d *decoder) node(it item, sc *scope, depth int) (*ir.Node, error) {
	np := it.np
	n := &ir.Node{Name: d.nodeName(np), Op: np.OpType, Domain: normDomain(np.Domain)}
	where := func() string {
		s := fmt.Sprintf("node %q (%s)", n.Name, n.Op)
		if it.fn != "" {
			s += " in function " + it.fn
		}
		return s
	}
	if np.OpType == "" {
		return nil, fmt.Errorf("%s: node has no op_type", where())
	}
	v, ok := it.opsets[n.Domain]
	if !ok {
		v, ok = d.modelOpsets[n.Domain]
	}
	if !ok {
		return nil, fmt.Errorf("%s: domain %q is not imported by the model (opset_import)", where(), n.Domain)
	}
	n.Opset = v
	n.Inputs = make([]*ir.Value, len(np.Input))
	for i, name := range np.Input {
		if name == "" {
			continue
		}
		n.Inputs[i] = sc.lookup(name)
		if n.Inputs[i] == nil {
			return nil, fmt.Errorf("%s: input %d %q is not defined", where(), i, name)
		}
	}
	attrs, err := d.attrs(np.Attribute, sc, it.opsets, depth)
	if err != nil {
		if _, isLimit := err.(*LimitError); isLimit {
			return nil, err // already says what; the path would repeat per level
		}
		return nil, fmt.Errorf("%s: %w", where(), err)
	}
	n.Attrs = attrs
	n.Outputs = make([]*ir.Value, len(np.Output))
	for i, name := range np.Output {
		if name != "" {
			n.Outputs[i] = &ir.Value{Name: name}
		}
	}
	return n, nil
}
