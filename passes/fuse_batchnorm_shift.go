package passes

import "github.com/nncc/nncc/ir"

// bnThroughBias moves a per-channel constant Add between a product and
// the inference BatchNormalization after it into the BatchNormalization's
// mean, paddle2onnx's ConvTranspose → Add(bias) → BatchNormalization:
//
//	BN(y + t) = (y + t − mean)·k + b = BN'(y)   with mean' = mean − t
//
// so fold-batchnorm then finds the BatchNormalization right after the
// product and folds it into the weights. It applies when the Add's sole
// user is bn, y's sole user is the Add, y comes from a Conv, ConvTranspose
// or Gemm-like node, and t is a float32 constant with one value per
// channel (or one value). It reports whether it rewrote bn.
func bnThroughBias(g *ir.Graph, s *fuseState, bn *ir.Node) bool {
	add := bn.In(0).Producer
	if !isOp(add, "Add") || len(add.Inputs) != 2 || s.soleUser(add.Out(0)) != bn {
		return false
	}
	mean, ok := floatConst(bn.In(3))
	if !ok {
		return false
	}
	ch := len(mean)
	for i := range 2 {
		y, t := add.Inputs[i], add.Inputs[1-i]
		p := y.Producer
		if p == nil || s.soleUser(y) != add || !(isConvLike(p) || isGemmLike(p) || isConvTransposeLike(p)) {
			continue
		}
		if staticDim1(add.Out(0)) != ch && !(add.Out(0).Type.Rank() == 2 && isGemmLike(p)) {
			continue
		}
		tv, ok := channelConst(t, add.Out(0).Type, ch)
		if !ok || !sameStaticShape(y.Type, add.Out(0).Type) {
			continue
		}
		nm := make([]float32, ch)
		for c := range nm {
			nm[c] = float32(float64(mean[c]) - tv[c])
		}
		bn.Inputs[0] = y
		bn.Inputs[3] = s.constant(bn.Name+"_mean", ir.FromSlice(nm, bn.In(3).Const.Shape...))
		removeNodes(g, map[*ir.Node]bool{add: true})
		return true
	}
	return false
}
