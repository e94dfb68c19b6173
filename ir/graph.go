package ir

import "sort"

// Value is an SSA value: a graph input, an initializer/constant, or the
// output of exactly one node. Nodes of nested graphs (If/Loop/Scan bodies)
// may refer to Values of enclosing graphs directly.
type Value struct {
	Name  string
	Type  Type
	Const *Tensor // non-nil for initializers and folded constants

	Producer *Node // nil for graph inputs and constants
	Index    int   // output index within Producer
}

// IsConst reports whether v carries a compile-time value.
func (v *Value) IsConst() bool { return v != nil && v.Const != nil }

// Node is one operator application.
type Node struct {
	Name    string
	Op      string
	Domain  string   // "" is the default ONNX domain ("ai.onnx")
	Opset   int64    // the opset version of Domain the node was written for
	Inputs  []*Value // nil entries are omitted optional inputs
	Outputs []*Value // nil entries are omitted optional outputs
	Attrs   Attrs
}

// In returns input i or nil if it is absent or omitted.
func (n *Node) In(i int) *Value {
	if i < len(n.Inputs) {
		return n.Inputs[i]
	}
	return nil
}

// Out returns output i or nil if it is absent or omitted.
func (n *Node) Out(i int) *Value {
	if i < len(n.Outputs) {
		return n.Outputs[i]
	}
	return nil
}

// Graph is a computation: inputs, outputs, nodes in topological order, and
// the constants they use. The same structure holds subgraphs.
type Graph struct {
	Name      string
	Inputs    []*Value
	Outputs   []*Value
	Nodes     []*Node
	Constants []*Value // initializers, in file order

	// Opsets maps a domain ("" for ai.onnx) to its imported version. Only
	// the top-level graph sets it.
	Opsets map[string]int64

	// Metadata carried through from the file (producer, doc strings, ...).
	Metadata map[string]string
}

// AddNode appends a node, wiring Producer of its outputs.
func (g *Graph) AddNode(n *Node) *Node {
	for i, o := range n.Outputs {
		if o != nil {
			o.Producer, o.Index = n, i
		}
	}
	g.Nodes = append(g.Nodes, n)
	return n
}

// Uses returns, for each value used by the graph's nodes (including nested
// subgraphs' captures) and outputs, the number of uses.
func (g *Graph) Uses() map[*Value]int {
	uses := map[*Value]int{}
	var walk func(g *Graph)
	walk = func(g *Graph) {
		for _, n := range g.Nodes {
			for _, in := range n.Inputs {
				if in != nil {
					uses[in]++
				}
			}
			for _, a := range n.Attrs {
				if a.G != nil {
					walk(a.G)
				}
				for _, sg := range a.Graphs {
					walk(sg)
				}
			}
		}
		for _, o := range g.Outputs {
			uses[o]++
		}
	}
	walk(g)
	return uses
}

// FreeValues lists the values a nested graph (or one nested in it) uses
// but does not define: its captures from the enclosing graphs.
func (g *Graph) FreeValues() []*Value {
	defined := map[*Value]bool{}
	for _, v := range g.Inputs {
		defined[v] = true
	}
	for _, v := range g.Constants {
		defined[v] = true
	}
	var free []*Value
	seen := map[*Value]bool{}
	use := func(v *Value) {
		if v != nil && !defined[v] && !seen[v] {
			seen[v] = true
			free = append(free, v)
		}
	}
	for _, n := range g.Nodes {
		for _, in := range n.Inputs {
			use(in)
		}
		for _, sg := range n.Subgraphs() {
			for _, v := range sg.FreeValues() {
				use(v)
			}
		}
		for _, o := range n.Outputs {
			if o != nil {
				defined[o] = true
			}
		}
	}
	for _, o := range g.Outputs {
		use(o)
	}
	return free
}

// Subgraphs returns the graphs held by n's attributes, in attribute order.
func (n *Node) Subgraphs() []*Graph {
	hasGraph := false
	for _, a := range n.Attrs {
		if a.G != nil || len(a.Graphs) > 0 {
			hasGraph = true
			break
		}
	}
	if !hasGraph {
		return nil // most nodes: no sorting, no allocation
	}
	var out []*Graph
	for _, a := range n.Attrs.Sorted() {
		if a.G != nil {
			out = append(out, a.G)
		}
		out = append(out, a.Graphs...)
	}
	return out
}

// Opset returns the imported version of a domain, treating "ai.onnx" as "".
func (g *Graph) Opset(domain string) int64 {
	if domain == "ai.onnx" {
		domain = ""
	}
	return g.Opsets[domain]
}

// SortedOpsets returns the opset imports ordered by domain.
func (g *Graph) SortedOpsets() []string {
	ds := make([]string, 0, len(g.Opsets))
	for d := range g.Opsets {
		ds = append(ds, d)
	}
	sort.Strings(ds)
	return ds
}
