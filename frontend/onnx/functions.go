package onnx

import (
	"fmt"
	"strconv"

	"google.golang.org/protobuf/proto"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
)

// Model-local functions (ModelProto.functions) are inlined at decode time:
// a node whose (domain, op_type, overload) names a local function is
// replaced by a copy of the function body in which
//   - formal inputs and outputs are renamed to the call's actual names,
//   - every other name gets a prefix unique to the call,
//   - attributes that refer to a function attribute (ref_attr_name) take
//     the call's value, else the function's default, else are dropped,
// and the body's nodes use the function's own opset imports. Calls inside
// bodies are inlined in turn, up to Limits.MaxNesting deep.

type funcKey struct{ domain, name, overload string }

func (k funcKey) String() string {
	s := k.name
	if k.domain != "" {
		s = k.domain + "." + s
	}
	if k.overload != "" {
		s += ":" + k.overload
	}
	return s
}

// expand returns the nodes as items, inlining calls of local functions.
func (d *decoder) expand(nodes []*onnxpb.NodeProto, opsets map[string]int64, depth int, fn string, out []item) ([]item, error) {
	for _, np := range nodes {
		f := d.funcs[funcKey{normDomain(np.Domain), np.OpType, np.Overload}]
		if f == nil {
			if err := d.countNode(); err != nil {
				return nil, err
			}
			out = append(out, item{np: np, opsets: opsets, fn: fn})
			continue
		}
		// Calls count against MaxNodes too: a body calling itself twice
		// would otherwise expand exponentially without emitting a node.
		if err := d.countNode(); err != nil {
			return nil, err
		}
		if fn == "" {
			k := funcKey{normDomain(np.Domain), np.OpType, np.Overload}
			if err := d.checkInline(k, f, np); err != nil {
				return nil, err
			}
		}
		if depth >= d.opts.limits.MaxNesting {
			return nil, &LimitError{Limit: "MaxNesting", Value: int64(d.opts.limits.MaxNesting),
				What: fmt.Sprintf("nesting of calls to function %s", np.OpType)}
		}
		body, err := d.instantiate(f, np)
		if err != nil {
			return nil, fmt.Errorf("node %s: inlining function %s: %w", describe(np), f.Name, err)
		}
		fnOpsets := map[string]int64{}
		for k, v := range d.modelOpsets {
			fnOpsets[k] = v
		}
		for _, imp := range f.OpsetImport {
			if err := checkOpsetVersion(imp.Domain, imp.Version); err != nil {
				return nil, fmt.Errorf("function %s: %w", f.Name, err)
			}
			fnOpsets[normDomain(imp.Domain)] = imp.Version
		}
		if out, err = d.expand(body, fnOpsets, depth+1, f.Name, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// instantiate returns a renamed copy of f's body for the call node.
func (d *decoder) instantiate(f *onnxpb.FunctionProto, call *onnxpb.NodeProto) ([]*onnxpb.NodeProto, error) {
	if len(call.Input) > len(f.Input) {
		return nil, fmt.Errorf("call has %d inputs, the function takes %d", len(call.Input), len(f.Input))
	}
	if len(call.Output) > len(f.Output) {
		return nil, fmt.Errorf("call has %d outputs, the function returns %d", len(call.Output), len(f.Output))
	}
	d.calls++
	callName := call.Name
	if callName == "" {
		callName = call.OpType
	}
	prefix := callName + "/" + f.Name + "." + strconv.Itoa(d.calls) + "/"

	names := map[string]string{}
	for i, formal := range f.Input {
		actual := ""
		if i < len(call.Input) {
			actual = call.Input[i]
		}
		names[formal] = actual
	}
	for i, formal := range f.Output {
		if _, isInput := names[formal]; isInput {
			continue // passed straight through: an Identity is added below
		}
		if i < len(call.Output) && call.Output[i] != "" {
			names[formal] = call.Output[i]
		}
	}
	rename := func(s string) string {
		if s == "" {
			return ""
		}
		if r, ok := names[s]; ok {
			return r
		}
		return prefix + s
	}

	callAttrs := map[string]*onnxpb.AttributeProto{}
	for _, a := range call.Attribute {
		callAttrs[a.Name] = a
	}
	known := map[string]bool{}
	for _, name := range f.Attribute {
		known[name] = true
	}
	defaults := map[string]*onnxpb.AttributeProto{}
	for _, a := range f.AttributeProto {
		known[a.Name] = true
		defaults[a.Name] = a
	}
	for name := range callAttrs {
		if !known[name] {
			return nil, fmt.Errorf("function %s has no attribute %q", f.Name, name)
		}
	}
	bind := func(ref string) *onnxpb.AttributeProto {
		if a := callAttrs[ref]; a != nil {
			return a
		}
		return defaults[ref]
	}

	produced := map[string]bool{}
	body := make([]*onnxpb.NodeProto, 0, len(f.Node)+len(f.Output))
	for _, src := range f.Node {
		n := proto.Clone(src).(*onnxpb.NodeProto)
		for _, o := range n.Output {
			produced[o] = true
		}
		if err := renameNode(n, rename, bind, 0); err != nil {
			return nil, err
		}
		if n.Name != "" {
			n.Name = prefix + n.Name
		}
		body = append(body, n)
	}
	for i, formal := range f.Output {
		if produced[formal] || i >= len(call.Output) || call.Output[i] == "" {
			continue
		}
		body = append(body, &onnxpb.NodeProto{
			Name:   prefix + "output" + strconv.Itoa(i),
			OpType: "Identity",
			Input:  []string{rename(formal)},
			Output: []string{call.Output[i]},
		})
	}
	return body, nil
}

// renameNode renames n's inputs and outputs and those of its subgraphs,
// and substitutes attribute references, in place.
func renameNode(n *onnxpb.NodeProto, rename func(string) string, bind func(string) *onnxpb.AttributeProto, depth int) error {
	if depth > 256 {
		return fmt.Errorf("subgraphs nest too deeply")
	}
	for i, s := range n.Input {
		n.Input[i] = rename(s)
	}
	for i, s := range n.Output {
		n.Output[i] = rename(s)
	}
	attrs := n.Attribute[:0]
	for _, a := range n.Attribute {
		if a.RefAttrName != "" {
			v := bind(a.RefAttrName)
			if v == nil {
				continue // not given and no default: the attribute is absent
			}
			c := proto.Clone(v).(*onnxpb.AttributeProto)
			c.Name = a.Name
			attrs = append(attrs, c)
			continue
		}
		if a.G != nil {
			if err := renameGraph(a.G, rename, bind, depth+1); err != nil {
				return err
			}
		}
		for _, g := range a.Graphs {
			if err := renameGraph(g, rename, bind, depth+1); err != nil {
				return err
			}
		}
		attrs = append(attrs, a)
	}
	n.Attribute = attrs
	return nil
}

// renameGraph renames every name in a subgraph of a function body. Names
// the subgraph defines itself are renamed too, consistently, which keeps
// the subgraph's meaning (it binds inputs and outputs by position).
func renameGraph(g *onnxpb.GraphProto, rename func(string) string, bind func(string) *onnxpb.AttributeProto, depth int) error {
	for _, t := range g.Initializer {
		t.Name = rename(t.Name)
	}
	for _, s := range g.SparseInitializer {
		if s.Values != nil {
			s.Values.Name = rename(s.Values.Name)
		}
	}
	for _, list := range [][]*onnxpb.ValueInfoProto{g.Input, g.Output, g.ValueInfo} {
		for _, vi := range list {
			vi.Name = rename(vi.Name)
		}
	}
	for _, n := range g.Node {
		if err := renameNode(n, rename, bind, depth); err != nil {
			return err
		}
	}
	return nil
}
