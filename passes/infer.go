package passes

import "github.com/nncc/nncc/ir"

// inferShapes runs every node's type and shape inference in order.
func inferShapes(g *ir.Graph, c *Context) error {
	for _, n := range g.Nodes {
		if err := ir.InferNode(n); err != nil {
			return err
		}
	}
	return nil
}
