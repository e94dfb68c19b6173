package passes

import "github.com/nncc/nncc/ir"

// halfWidened returns the float16 nodes half-float computes in float32,
// following ONNX Runtime's CPU provider: every halfWidenable node for
// which ONNX Runtime has no float16 kernel, and every native one
// (halfNative) that is isolated among them (halfIsolated). The other
// native nodes stay in float16, so a value a widened node writes is
// rounded to float16 where a native node reads it, as in ONNX Runtime.
func halfWidened(g *ir.Graph, s *fuseState) map[*ir.Node]bool {
	widened := map[*ir.Node]bool{}
	for _, n := range g.Nodes {
		if halfWidenable(n) && !halfNative(n) {
			widened[n] = true
		}
	}
	// In graph order, as ONNX Runtime does: a native node between two
	// that were just turned to float32 sees its producer widened, one
	// before a native consumer does not.
	for _, n := range g.Nodes {
		if halfWidenable(n) && halfNative(n) && halfIsolated(g, s, n, widened) {
			widened[n] = true
		}
	}
	return widened
}

// halfIsolated reports whether native node n would need Casts on every
// side in ONNX Runtime, which then runs it in float32 too (its
// InsertCastTransformer's isolated-node rule): n reads some node's
// output, writes no graph output, every float16 value it reads from a
// node comes from a widened one, and every reader of its float16 outputs
// is a widened node (a nested graph or a graph output reading one is
// not). As in ONNX Runtime, which looks at one value per formal
// parameter, a variadic input list counts by its first value only (a
// Concat whose first operand a widened node writes is isolated whatever
// writes the others), and a variadic output list by its first output.
func halfIsolated(g *ir.Graph, s *fuseState, n *ir.Node, widened map[*ir.Node]bool) bool {
	varIn, varOut := false, false
	if sc, ok := ir.LookupOp(n.Domain, n.Op); ok {
		varIn, varOut = sc.MaxInputs < 0, sc.MaxOutputs < 0
	}
	fromNode := false
	for i, v := range n.Inputs {
		if v == nil || v.Producer == nil {
			continue
		}
		fromNode = true
		if v.Type.DType == ir.Float16 && !widened[v.Producer] && (i == 0 || !varIn) {
			return false
		}
	}
	if !fromNode {
		return false
	}
	halfOut := false
	for j, o := range n.Outputs {
		if o == nil {
			continue
		}
		if isGraphOutput(g, o) {
			return false
		}
		if o.Type.DType != ir.Float16 || (j > 0 && varOut) {
			continue
		}
		halfOut = true
		reads := 0
		for _, u := range s.users[o] {
			if !widened[u] {
				return false
			}
			for _, in := range u.Inputs {
				if in == o {
					reads++
				}
			}
		}
		if reads != s.uses[o] {
			return false // read by a nested graph
		}
	}
	return halfOut
}
