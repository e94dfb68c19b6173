package passes

import "github.com/nncc/nncc/ir"

// replaceUses makes every use of old (in g's nodes, nested graphs and
// outputs) refer to repl instead.
func replaceUses(g *ir.Graph, old, repl *ir.Value) {
	for _, n := range g.Nodes {
		for i, in := range n.Inputs {
			if in == old {
				n.Inputs[i] = repl
			}
		}
		for _, sg := range n.Subgraphs() {
			replaceUses(sg, old, repl)
		}
	}
	for i, o := range g.Outputs {
		if o == old {
			g.Outputs[i] = repl
		}
	}
}

// isGraphOutput reports whether v is one of g's outputs.
func isGraphOutput(g *ir.Graph, v *ir.Value) bool {
	for _, o := range g.Outputs {
		if o == v {
			return true
		}
	}
	return false
}

// removeNodes drops the nodes for which dead[n] is true, keeping order.
func removeNodes(g *ir.Graph, dead map[*ir.Node]bool) {
	if len(dead) == 0 {
		return
	}
	kept := g.Nodes[:0]
	for _, n := range g.Nodes {
		if !dead[n] {
			kept = append(kept, n)
		}
	}
	for i := len(kept); i < len(g.Nodes); i++ {
		g.Nodes[i] = nil
	}
	g.Nodes = kept
}

// randomOps lists ops whose result is drawn from a generator.
var randomOps = map[string]bool{
	"RandomNormal": true, "RandomUniform": true, "RandomNormalLike": true,
	"RandomUniformLike": true, "Bernoulli": true, "Multinomial": true,
}

// nondeterministic reports whether n's result may differ between Runs
// with equal inputs; no pass may fold or merge such nodes. Dropout is one
// unless it is provably in inference mode.
func nondeterministic(n *ir.Node) bool {
	if randomOps[n.Op] {
		return true
	}
	return n.Op == "Dropout" && n.Domain == "" && !dropoutIsInference(n)
}
