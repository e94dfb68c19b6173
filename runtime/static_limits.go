package runtime

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// checkStaticSizes rejects a specialised graph in which some node's
// output has a static shape of more than limit elements (a Tile, Expand,
// Upsample or ConstantOfShape whose constant operands ask for 2^40
// elements), naming the node, before the memory planner would only see
// an arena too large to allocate. Nested graphs are checked too.
func checkStaticSizes(g *ir.Graph, limit int64) error {
	for _, n := range g.Nodes {
		for i, o := range n.Outputs {
			if o == nil || o.Type.Kind != ir.KindTensor || !o.Type.RankKnown {
				continue
			}
			dims := make([]int64, 0, len(o.Type.Shape))
			static := true
			for _, d := range o.Type.Shape {
				static = static && d.Known()
				dims = append(dims, d.Size)
			}
			if !static {
				continue
			}
			if _, err := ir.CheckedNumElements(dims, limit); err != nil {
				return fmt.Errorf("node %q (%s): output %d %q: %v (limit MaxTensorElements)", n.Name, n.Op, i, o.Name, err)
			}
		}
		for _, sg := range n.Subgraphs() {
			if err := checkStaticSizes(sg, limit); err != nil {
				return err
			}
		}
	}
	return nil
}
