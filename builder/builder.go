package builder

import (
	"fmt"
	"strconv"

	"github.com/nncc/nncc/ir"
)

// Builder records a graph. It is not safe for concurrent use.
type Builder struct {
	st     *state
	g      *ir.Graph // the graph this builder adds nodes and inputs to
	parent *Builder  // the enclosing builder of a subgraph builder
	outs   []*ir.Value
	scope  []string
}

// state is shared by a builder and its subgraph builders: ONNX wants every
// value name unique in the whole model.
type state struct {
	root       *Builder
	opsets     map[string]int64
	seed       uint64
	err        error
	nodeNames  map[string]bool
	valueNames map[string]bool
	scopeNames map[string]bool
	weights    map[string]*ir.Value
	weightList []*ir.Value
	metadata   map[string]string
}

// Option configures New.
type Option func(*Builder)

// Seed sets the seed of the weight initialisers (default 1).
func Seed(s uint64) Option { return func(b *Builder) { b.st.seed = s } }

// DomainOpset sets the opset version of a domain other than the default one
// (ops of a domain with no version set use the lowest version their op
// table row accepts).
func DomainOpset(domain string, version int64) Option {
	return func(b *Builder) { b.st.opsets[normDomain(domain)] = version }
}

// Metadata adds a model metadata entry (producer_name, doc_string, or any
// key) carried into the exported ONNX file.
func Metadata(key, value string) Option {
	return func(b *Builder) { b.st.metadata[key] = value }
}

// New returns a builder for a graph called name whose nodes use version
// opset of the default ONNX domain. The opset is explicit because it
// decides which form of an op is written (Softmax's axis default, Reduce*
// axes as attribute or input, ...) and must match the exported file.
func New(name string, opset int64, opts ...Option) *Builder {
	st := &state{
		opsets:     map[string]int64{"": opset},
		seed:       1,
		nodeNames:  map[string]bool{},
		valueNames: map[string]bool{},
		scopeNames: map[string]bool{},
		weights:    map[string]*ir.Value{},
		metadata:   map[string]string{"producer_name": "nncc builder"},
	}
	b := &Builder{st: st, g: &ir.Graph{Name: name}}
	st.root = b
	for _, o := range opts {
		o(b)
	}
	if opset < 1 {
		b.fail(fmt.Errorf("opset %d is not a valid version of the default domain", opset))
	}
	return b
}

// Opset returns the version of domain ("" for the default ONNX domain)
// the builder writes nodes for, or 0 when it has none yet.
func (b *Builder) Opset(domain string) int64 { return b.st.opsets[normDomain(domain)] }

// Err returns the first mistake made while building, or nil.
func (b *Builder) Err() error { return b.st.err }

func normDomain(d string) string {
	if d == "ai.onnx" {
		return ""
	}
	return d
}

// Input declares a graph input. dims are int or int64 for known sizes,
// strings for symbolic ones ("batch"), or ir.Dim.
func (b *Builder) Input(name string, dt ir.DType, dims ...any) *Value {
	if b.st.err != nil {
		return b.invalid()
	}
	shape := make(ir.Shape, len(dims))
	for i, d := range dims {
		var n int64
		switch d := d.(type) {
		case int:
			n = int64(d)
		case int64:
			n = d
		case string:
			shape[i] = ir.Sym(d)
			continue
		case ir.Dim:
			shape[i] = d
			continue
		default:
			b.fail(fmt.Errorf("input %q: dimension %d is a %T; use an int, a string or an ir.Dim", name, i, d))
			return b.invalid()
		}
		if n < 0 {
			b.fail(fmt.Errorf("input %q: dimension %d is negative (%d)", name, i, n))
			return b.invalid()
		}
		shape[i] = ir.D(n)
	}
	return b.InputType(name, ir.TensorOf(dt, shape))
}

// InputType declares a graph input of any type (sequences and optionals
// included).
func (b *Builder) InputType(name string, t ir.Type) *Value {
	if b.st.err != nil {
		return b.invalid()
	}
	if name == "" || b.st.valueNames[name] {
		b.fail(fmt.Errorf("input name %q is empty or already used", name))
		return b.invalid()
	}
	if t.Kind == ir.KindTensor && !t.DType.Valid() {
		b.fail(fmt.Errorf("input %q: invalid dtype %v", name, t.DType))
		return b.invalid()
	}
	b.st.valueNames[name] = true
	v := &ir.Value{Name: name, Type: t}
	b.g.Inputs = append(b.g.Inputs, v)
	return b.wrap(v)
}

// Output marks v as a graph output called name and returns the output.
// When v cannot simply be renamed (it is a graph input, a constant, an
// outer value or already an output), an Identity node makes the output.
func (b *Builder) Output(name string, v *Value) *Value {
	if b.st.err != nil || !b.check(v, "Output") {
		return b.invalid()
	}
	iv := v.v
	owned := iv.Producer != nil && b.ownsNode(iv.Producer)
	for _, o := range b.outs {
		if o == iv {
			owned = false
		}
	}
	if !owned {
		iv = b.single(b.call("", "Identity", []*Value{v}, []Arg{Name(name)})).v
		if iv == nil {
			return b.invalid()
		}
	}
	if iv.Name != name {
		if b.st.valueNames[name] {
			b.fail(fmt.Errorf("output name %q is already used", name))
			return b.invalid()
		}
		delete(b.st.valueNames, iv.Name)
		b.st.valueNames[name] = true
		iv.Name = name
	}
	b.outs = append(b.outs, iv)
	return b.wrap(iv)
}

func (b *Builder) ownsNode(n *ir.Node) bool {
	for _, m := range b.g.Nodes {
		if m == n {
			return true
		}
	}
	return false
}

// Build returns the graph: the declared inputs, the outputs marked with
// Output followed by the other values of outs (under their current
// names; an input or constant gets an Identity node), and the nodes and
// constants they need, in the order they were added. Each call returns a
// new graph (a session may rewrite it); weights set later with SetWeight
// do not reach graphs built before.
func (b *Builder) Build(outs ...*Value) (*ir.Graph, error) {
	if b.parent != nil {
		return nil, fmt.Errorf("builder: Build called on a subgraph builder; use Graph")
	}
	g, err := b.finish(outs)
	if err != nil {
		return nil, err
	}
	g.Opsets = map[string]int64{}
	for d, v := range b.st.opsets {
		g.Opsets[d] = v
	}
	g.Metadata = map[string]string{}
	for k, v := range b.st.metadata {
		g.Metadata[k] = v
	}
	if err := ir.Verify(g); err != nil {
		return nil, fmt.Errorf("builder: BUG: built graph does not verify: %w", err)
	}
	return g, nil
}

func (b *Builder) finish(outs []*Value) (*ir.Graph, error) {
	if b.st.err != nil {
		return nil, b.st.err
	}
	list := append([]*ir.Value{}, b.outs...)
	for i, o := range outs {
		if !b.check(o, "Build") {
			return nil, b.st.err
		}
		iv := o.v
		dup := false
		for _, p := range list {
			dup = dup || p == iv
		}
		if dup {
			continue // already an output (marked with Output)
		}
		if iv.Producer == nil || !b.ownsNode(iv.Producer) {
			iv = b.Output(o.Name()+"_out"+strconv.Itoa(i), o).v
			if b.st.err != nil {
				return nil, b.st.err
			}
			b.outs = b.outs[:len(b.outs)-1]
		}
		list = append(list, iv)
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("builder: graph %q has no outputs", b.g.Name)
	}
	g := &ir.Graph{Name: b.g.Name, Inputs: b.g.Inputs, Outputs: list}
	live := liveNodes(b.g, list)
	for _, n := range b.g.Nodes {
		if live[n] {
			g.Nodes = append(g.Nodes, n)
		}
	}
	if b.parent == nil {
		used := g.Uses()
		for _, c := range b.g.Constants {
			if used[c] > 0 {
				g.Constants = append(g.Constants, c)
			}
		}
	}
	if b.parent != nil {
		return g, nil
	}
	return ir.Clone(g), nil
}

// liveNodes marks the nodes of g that the values in outs depend on,
// following the captures of subgraphs.
func liveNodes(g *ir.Graph, outs []*ir.Value) map[*ir.Node]bool {
	live := map[*ir.Node]bool{}
	var stack []*ir.Value
	stack = append(stack, outs...)
	var pushGraph func(sg *ir.Graph)
	pushGraph = func(sg *ir.Graph) {
		for _, n := range sg.Nodes {
			for _, in := range n.Inputs {
				if in != nil {
					stack = append(stack, in)
				}
			}
			for _, ssg := range n.Subgraphs() {
				pushGraph(ssg)
			}
		}
		stack = append(stack, sg.Outputs...)
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := v.Producer
		if n == nil || live[n] {
			continue
		}
		live[n] = true
		for _, in := range n.Inputs {
			if in != nil {
				stack = append(stack, in)
			}
		}
		for _, sg := range n.Subgraphs() {
			pushGraph(sg)
		}
	}
	return live
}

func (b *Builder) wrap(v *ir.Value) *Value { return &Value{b: b, v: v} }

func (b *Builder) invalid() *Value { return &Value{b: b} }

func (b *Builder) single(vs []*Value) *Value { return vs[0] }

// check reports (and records) whether v is a usable value of this builder
// or of an enclosing one.
func (b *Builder) check(v *Value, what string) bool {
	switch {
	case v == nil:
		b.fail(fmt.Errorf("%s: nil value", what))
	case v.v == nil:
		b.fail(fmt.Errorf("%s: invalid value (made after an earlier error)", what))
	case v.b.st != b.st:
		b.fail(fmt.Errorf("%s: value %q belongs to another builder", what, v.v.Name))
	case !b.sees(v.b):
		b.fail(fmt.Errorf("%s: value %q belongs to a subgraph and is not visible here", what, v.v.Name))
	default:
		return true
	}
	return false
}

// sees reports whether values of o are in scope in b: o is b or encloses it.
func (b *Builder) sees(o *Builder) bool {
	for x := b; x != nil; x = x.parent {
		if x == o {
			return true
		}
	}
	return false
}
