package runtime

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// checkStaticSizes rejects a specialised graph in which some node's
// output has a static shape of more than limit elements or budget bytes
// (a Tile, Expand, Upsample or ConstantOfShape whose constant operands
// ask for 2^40 elements), naming the node, before the memory planner
// would only see an arena too large to allocate. Nested graphs are
// checked too.
func checkStaticSizes(g *ir.Graph, limit, budget int64) error {
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
			count, err := ir.CheckedNumElements(dims, limit)
			if err != nil {
				return fmt.Errorf("node %q (%s): output %d %q: %v (limit MaxTensorElements)", n.Name, n.Op, i, o.Name, err)
			}
			if size := elementBytes(o.Type.DType); budget > 0 && count > budget/size {
				return fmt.Errorf("node %q (%s): output %d %q: %v of shape %v needs %d bytes, more than the memory budget of %d (limit MaxMemoryBytes)",
					n.Name, n.Op, i, o.Name, o.Type.DType, dims, count*size, budget)
			}
		}
		for _, sg := range n.Subgraphs() {
			if err := checkStaticSizes(sg, limit, budget); err != nil {
				return err
			}
		}
	}
	return nil
}

// elementBytes is the memory one element of dt takes at run time (a
// string counts its Go header).
func elementBytes(dt ir.DType) int64 {
	if dt == ir.String {
		return 16
	}
	return int64(max(dt.Size(), 1))
}
