package passes

import "github.com/nncc/nncc/ir"

// The model's own Casts at a region's edges. ONNX Runtime wraps a node
// it runs in float32 in Casts of its own, then removes each pair of a
// Cast to float16 and a Cast straight back to float32 in which at least
// one Cast is its own, so that neither rounds (a pair of the model's two
// Casts stays; RemoveDuplicateCastTransformer). half-float does the same
// with the model's Casts next to a region: halfRoundedFrom on the way
// in, halfExitCasts on the way out.

// halfRoundedFrom returns the float32 value x when v is the output of the
// model's Cast of x to float16, and nil otherwise. A region reads x
// instead of v, unrounded.
func halfRoundedFrom(v *ir.Value) *ir.Value {
	c := v.Producer
	if c == nil || !isOp(c, "Cast") || len(c.Inputs) != 1 || c.Attrs.Int("to", 0) != int64(ir.Float16) {
		return nil
	}
	if x := c.Inputs[0]; x != nil && x.Type.DType == ir.Float32 {
		return x
	}
	return nil
}

// halfExitCasts handles the readers outside the regions of o, a float16
// value a region node writes, now computed as the float32 value w, and
// reports whether o is still read as float16 (rounded) there:
//
//   - the model's Casts of o to float32 whose outputs are not graph
//     outputs are dropped (recorded in dropped; their readers will read
//     w unrounded);
//   - when o is read outside the regions by Casts only (and is no graph
//     output), those that stay read w: a Cast to float32 that is a graph
//     output becomes a copy of w, unrounded; they are returned, to be
//     inferred again once w has its type;
//   - otherwise the remaining Casts read o, rounded, as every other
//     reader outside the regions does.
//
// regionReads is how often region nodes read o.
func halfExitCasts(g *ir.Graph, s *fuseState, o, w *ir.Value, inRegion map[*ir.Node]bool, regionReads int, dropped map[*ir.Node]*ir.Value) (rounded bool, rewired []*ir.Node) {
	others := s.uses[o] - regionReads // reads outside the regions
	var kept []*ir.Node
	for _, u := range s.users[o] {
		if inRegion[u] || !isOp(u, "Cast") || len(u.Inputs) != 1 || len(u.Outputs) != 1 {
			continue
		}
		others--
		if u.Attrs.Int("to", 0) == int64(ir.Float32) && !isGraphOutput(g, u.Out(0)) {
			dropped[u] = w
			continue
		}
		kept = append(kept, u)
	}
	if others > 0 {
		return true, nil
	}
	for _, c := range kept {
		c.Inputs[0] = w
	}
	return false, kept
}
