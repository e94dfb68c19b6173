package passes

import "github.com/nncc/nncc/ir"

// eliminateDeadCode removes nodes none of whose outputs is used (walking
// backwards so chains die at once) and constants nothing refers to.
func eliminateDeadCode(g *ir.Graph, c *Context) error {
	uses := g.Uses()
	dead := map[*ir.Node]bool{}
	for i := len(g.Nodes) - 1; i >= 0; i-- {
		n := g.Nodes[i]
		live := false
		for _, o := range n.Outputs {
			if o != nil && uses[o] > 0 {
				live = true
				break
			}
		}
		if live {
			continue
		}
		dead[n] = true
		for _, in := range n.Inputs {
			if in != nil {
				uses[in]--
			}
		}
		for _, sg := range n.Subgraphs() {
			for v, k := range sg.Uses() {
				uses[v] -= k
			}
		}
	}
	removeNodes(g, dead)
	kept := g.Constants[:0]
	for _, v := range g.Constants {
		if uses[v] > 0 {
			kept = append(kept, v)
		}
	}
	g.Constants = kept
	return nil
}
