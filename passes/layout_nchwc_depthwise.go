package passes

import "github.com/nncc/nncc/ir"

// Depthwise convolutions in the NCHWc layout pass (layout_nchwc.go): a
// Conv/FusedConv with one filter per channel (group = C = M, W [C, 1, kh,
// kw]) becomes nncc.DepthwiseConvNCHWc, so a MobileNet block (1×1 expand,
// depthwise 3×3, 1×1 project) stays blocked instead of leaving the region
// around every depthwise layer. A plain input is converted when it has at
// least one full block of channels.

// depthwiseEligible reports whether n is a depthwise convolution
// DepthwiseConvNCHWc computes: 2-D, float32, constant W and B, static C,
// H, W, no residual input.
func (l *nchwcLayout) depthwiseEligible(n *ir.Node) bool {
	x, w := n.In(0), n.In(1)
	ch := staticChannels(x)
	if ch == 0 || w == nil || w.Const == nil || w.Const.DType != ir.Float32 || len(w.Const.Shape) != 4 {
		return false
	}
	if n.Attrs.Int("group", 1) != ch || ch == 1 || w.Const.Shape[0] != ch || w.Const.Shape[1] != 1 || n.In(3) != nil {
		return false
	}
	if b := n.In(2); b != nil && (b.Const == nil || b.Const.DType != ir.Float32 || b.Const.Len() != int(ch)) {
		return false
	}
	_, err := l.convPads(n)
	return err == nil
}
