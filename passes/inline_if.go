package passes

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// maxInlineRounds bounds the inline/fold rounds of inlineConstantIfs: each
// round inlines the Ifs whose condition is constant, and folding the
// spliced nodes can make the condition of an If they held constant in
// turn (an If nested in an inlined branch). The bound is the ONNX nesting
// limit the frontend enforces, far beyond real models.
const maxInlineRounds = 64

// inlineConstantIfs replaces every If whose condition is a constant (an
// initializer, or folded: exporters test shapes, `if x.dim() == 3`, which
// become constants once the graph is specialised to its input shapes) by
// the nodes of the branch it takes. The branch's constants and nodes move
// into g at the If's place, reading the values of the enclosing scopes
// they captured directly, so that every later pass (fusion, layout,
// prepacking) and the memory planner see them as part of g, and a Run
// enters no nested plan for them.
//
// The If's output values stay: the branch node that produced the taken
// output now produces the If's value itself (graph outputs keep their
// names). A branch output that is a constant, a captured outer value or
// an output listed twice is wired to the If's uses directly, or through
// an Identity when the If's output is an output of g. A branch value whose
// name is already taken in g gets a fresh one.
//
// Folding runs again (with identity removal before it) after a round that
// inlined something, since the spliced nodes missed the fold pass that ran
// before this one: a branch's shape arithmetic folds, and an If inside it
// whose condition depended on shapes is inlined in the next round.
func inlineConstantIfs(g *ir.Graph, c *Context) error {
	for range maxInlineRounds {
		if !inlineIfsOnce(g) {
			return nil
		}
		if !contains(c.Disable, "identity") {
			if err := eliminateIdentity(g, c); err != nil {
				return err
			}
		}
		if contains(c.Disable, "fold") {
			return nil
		}
		if err := foldConstants(g, c); err != nil {
			return err
		}
	}
	return nil
}

// inlineIfsOnce splices the taken branch of every If of g with a constant
// condition into g and reports whether it spliced any.
func inlineIfsOnce(g *ir.Graph) bool {
	var out []*ir.Node
	changed := false
	for _, n := range g.Nodes {
		body := takenBranch(n)
		if body == nil {
			out = append(out, n)
			continue
		}
		out = append(out, spliceBranch(g, n, body, valueNames(g, body))...)
		changed = true
	}
	if changed {
		g.Nodes = out
	}
	return changed
}

// takenBranch returns the branch an If node with a constant condition
// runs, or nil if n is no such If (or one whose branch cannot be spliced).
func takenBranch(n *ir.Node) *ir.Graph {
	if n.Op != "If" || n.Domain != "" {
		return nil
	}
	cond, ok := constCond(n.In(0))
	if !ok {
		return nil
	}
	name := "else_branch"
	if cond {
		name = "then_branch"
	}
	body := n.Attrs.Graph(name)
	if body == nil || len(body.Inputs) != 0 || len(n.Outputs) > len(body.Outputs) {
		return nil // invalid If: its kernel reports it
	}
	return body
}

// constCond returns the value of an If condition that is a constant
// single-element bool tensor.
func constCond(v *ir.Value) (bool, bool) {
	if v == nil || v.Const == nil || v.Const.Kind != ir.KindTensor {
		return false, false
	}
	b, ok := v.Const.Data.([]bool)
	if !ok || len(b) != 1 {
		return false, false
	}
	return b[0], true
}

// spliceBranch moves body's constants into g and returns the nodes that
// replace the If node n, wiring n's outputs to body's. names holds the
// value names of g and is updated with the spliced ones.
func spliceBranch(g *ir.Graph, n *ir.Node, body *ir.Graph, names map[string]bool) []*ir.Node {
	produced := map[*ir.Value]bool{}
	for _, bn := range body.Nodes {
		for _, o := range bn.Outputs {
			if o != nil {
				produced[o] = true
			}
		}
	}
	listed := map[*ir.Value]int{}
	for _, o := range body.Outputs {
		listed[o]++
	}
	var tail []*ir.Node // Identity nodes after the branch's nodes
	for i, o := range n.Outputs {
		if o == nil {
			continue
		}
		src := body.Outputs[i]
		switch {
		case produced[src] && listed[src] == 1:
			// The branch's node produces the If's value itself.
			replaceUses(body, src, o)
			p := src.Producer
			p.Outputs[src.Index] = o
			o.Producer, o.Index, o.Type = p, src.Index, src.Type
		case isGraphOutput(g, o):
			id := &ir.Node{Name: uniqueName(names, n.Name+"/out"), Op: "Identity", Opset: n.Opset,
				Inputs: []*ir.Value{src}, Outputs: []*ir.Value{o}}
			o.Producer, o.Index, o.Type = id, 0, src.Type
			tail = append(tail, id)
		default:
			replaceUses(g, o, src)
		}
	}
	for _, v := range body.Constants {
		rename(v, names)
		g.Constants = append(g.Constants, v)
	}
	nodes := make([]*ir.Node, 0, len(body.Nodes)+len(tail))
	for _, bn := range body.Nodes {
		for _, o := range bn.Outputs {
			if o != nil && produced[o] {
				rename(o, names)
			}
		}
		if bn.Name != "" && n.Name != "" {
			bn.Name = n.Name + "/" + bn.Name
		}
		nodes = append(nodes, bn)
	}
	return append(nodes, tail...)
}

// rename gives v a name no other value of the graph has, and records it.
func rename(v *ir.Value, names map[string]bool) {
	if names[v.Name] {
		v.Name = uniqueName(names, v.Name)
	}
	names[v.Name] = true
}

// uniqueName returns base, or base with the first free numeric suffix,
// that names does not hold.
func uniqueName(names map[string]bool, base string) string {
	if !names[base] {
		return base
	}
	for i := 1; ; i++ {
		if s := fmt.Sprintf("%s_%d", base, i); !names[s] {
			return s
		}
	}
}

// valueNames returns the names of every value defined in g or in a graph
// nested in it, except in skip (the branch being spliced).
func valueNames(g, skip *ir.Graph) map[string]bool {
	names := map[string]bool{}
	var walk func(g *ir.Graph)
	walk = func(g *ir.Graph) {
		if g == skip {
			return
		}
		for _, v := range g.Inputs {
			names[v.Name] = true
		}
		for _, v := range g.Constants {
			names[v.Name] = true
		}
		for _, n := range g.Nodes {
			for _, o := range n.Outputs {
				if o != nil {
					names[o.Name] = true
				}
			}
			for _, sg := range n.Subgraphs() {
				walk(sg)
			}
		}
	}
	walk(g)
	return names
}
