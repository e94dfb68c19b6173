package passes

import "github.com/nncc/nncc/ir"

// minMaxToClip rewrites the maximum or minimum of a tensor and one
// constant, which TensorFlow converters write for tf.maximum/tf.minimum
// (openWakeWord's embedding model follows every LeakyRelu with
// Max(x, -0.4)), as Clip with that bound:
//
//	Max(x, c), Max(c, x)  → Clip(x, c, )      c one element, rank ≤ x's
//	Min(x, c), Min(c, x)  → Clip(x, , c)
//
// Clip is an activation the epilogue fuses into the product before it and
// the NCHWc layout carries through a region; Max and Min are neither, so
// each ended a blocked region with two reorders. Only two-input forms of
// a floating-point dtype are rewritten; a NaN in x stays NaN either way.
func minMaxToClip(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for _, n := range g.Nodes {
		if (!isOp(n, "Max") && !isOp(n, "Min")) || len(n.Inputs) != 2 || len(n.Outputs) != 1 || n.Opset < 6 {
			continue
		}
		for k := range 2 {
			x, b := n.Inputs[k], n.Inputs[1-k]
			if !isFloatType(x) || b == nil || b.Const == nil || b.Const.Kind != ir.KindTensor || b.Const.Len() != 1 ||
				b.Const.DType != x.Type.DType || !x.Type.RankKnown || b.Type.Rank() > x.Type.Rank() {
				continue
			}
			bound := s.constant(n.Name+"_bound", &ir.Tensor{Kind: ir.KindTensor, DType: b.Const.DType, Shape: []int64{}, Data: b.Const.Data})
			ins := []*ir.Value{x, bound}
			if n.Op == "Min" {
				ins = []*ir.Value{x, nil, bound}
			}
			clip := &ir.Node{Name: s.name(n.Name + "_clip"), Op: "Clip", Opset: onnxOpset(g, 11), Inputs: ins, Attrs: ir.Attrs{}}
			replaceNode(g, n, clip)
			if err := ir.InferNode(clip); err != nil {
				return err
			}
			break
		}
	}
	return nil
}
