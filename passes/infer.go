package passes

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// inferShapes runs every node's type and shape inference in order and,
// with c.MaxDimension set (c may be nil), rejects an output with a known dimension above
// it. (Only single dimensions: a product of known dimensions over the
// limit may still be an empty tensor when an unknown batch is 0, which
// runs.)
func inferShapes(g *ir.Graph, c *Context) error {
	for _, n := range g.Nodes {
		if err := ir.InferNode(n); err != nil {
			return err
		}
		if c == nil || c.MaxDimension <= 0 {
			continue
		}
		for i, o := range n.Outputs {
			if o == nil || o.Type.Kind != ir.KindTensor || !o.Type.RankKnown {
				continue
			}
			for _, d := range o.Type.Shape {
				if d.Known() && d.Size > c.MaxDimension {
					return fmt.Errorf("node %q (%s): output %d %q of shape %v: dimension %d is more than %d elements (limit MaxTensorElements)", n.Name, n.Op, i, o.Name, o.Type.Shape, d.Size, c.MaxDimension)
				}
			}
		}
	}
	return nil
}
