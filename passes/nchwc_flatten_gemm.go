package passes

import "github.com/nncc/nncc/ir"

// nchwcFlattenGemm lets the fully-connected layer after a convolution
// region read the blocked tensor directly: in
//
//	ReorderFromNCHWc(X) → Flatten(axis 1) → nncc.FusedGemm(·, B const)
//
// the reorder only permutes the K dimension of the product (and drops the
// padding channels), so it is folded into B instead: Flatten reads X
// [N, Cb, H, W, b] as [N, Cb·H·W·b] and B's K rows are permuted at
// compile time to that order, with zero rows for the padding channels
// (finite by the layout's rule, so they add exactly zero). The reorder
// step disappears from the plan; the product sums the same terms.
//
// Conditions: the reorder's output is read only by the Flatten (axis 1),
// the Flatten's only by FusedGemm input A, without transA; B is a float32
// 2-D constant of K = C·H·W rows (H and W static).
func nchwcFlattenGemm(g *ir.Graph, _ *Context) error {
	s := newFuseState(g)
	for _, re := range append([]*ir.Node(nil), g.Nodes...) {
		if re.Domain != ir.FusedDomain || re.Op != "ReorderFromNCHWc" || len(re.Outputs) != 1 {
			continue
		}
		fl := s.soleUser(re.Out(0))
		if !isOp(fl, "Flatten") || fl.Attrs.Int("axis", 1) != 1 {
			continue
		}
		gm := s.soleUser(fl.Out(0))
		if !isFusedOp(gm, "FusedGemm") || gm.In(0) != fl.Out(0) || gm.In(1) == fl.Out(0) ||
			gm.Attrs.Int("transA", 0) != 0 {
			continue
		}
		x := re.In(0)
		bw, ok := nchwcGemmWeight(x, re.Attrs.Int("channels", 0), gm)
		if !ok {
			continue
		}
		// Flatten reads the blocked tensor; the product reads the permuted B.
		fl.Inputs[0] = x
		gm.Inputs[1] = s.constant(gm.In(1).Name+"_nchwc", bw)
		removeNodes(g, map[*ir.Node]bool{re: true})
		for _, n := range []*ir.Node{fl, gm} {
			if err := ir.InferNode(n); err != nil {
				return err
			}
		}
		s.refresh()
	}
	return nil
}

// nchwcGemmWeight returns gm's constant B with its K rows in the order of
// the blocked tensor x flattened (zero rows for padding channels), or
// false when the shapes do not fit.
func nchwcGemmWeight(x *ir.Value, channels int64, gm *ir.Node) (*ir.Tensor, bool) {
	b := gm.In(1)
	if x == nil || !x.Type.RankKnown || len(x.Type.Shape) != 5 || b == nil || b.Const == nil ||
		b.Const.DType != ir.Float32 || len(b.Const.Shape) != 2 {
		return nil, false
	}
	for _, d := range x.Type.Shape[1:] {
		if !d.Known() {
			return nil, false
		}
	}
	cb, h, w, blk := x.Type.Shape[1].Size, x.Type.Shape[2].Size, x.Type.Shape[3].Size, x.Type.Shape[4].Size
	if channels <= 0 || ir.NCHWcBlocks(channels, blk) != cb {
		return nil, false
	}
	transB := gm.Attrs.Int("transB", 0) != 0
	k, m := b.Const.Shape[0], b.Const.Shape[1]
	if transB {
		k, m = m, k
	}
	hw := h * w
	if k != channels*hw {
		return nil, false
	}
	kb := cb * hw * blk
	if kb > 2*k {
		return nil, false // mostly padding channels: the reorder is cheaper than the wider product
	}
	src := b.Const.F32()
	var out *ir.Tensor
	if transB {
		out = ir.NewTensor(ir.Float32, []int64{m, kb})
	} else {
		out = ir.NewTensor(ir.Float32, []int64{kb, m})
	}
	dst := out.F32()
	for c := range channels {
		for p := range hw {
			from := c*hw + p                 // row of the NCHW flattening
			to := ((c/blk)*hw+p)*blk + c%blk // row of the NCHWc flattening
			if transB {
				for j := range m {
					dst[j*kb+to] = src[j*k+from]
				}
			} else {
				copy(dst[to*m:(to+1)*m], src[from*m:(from+1)*m])
			}
		}
	}
	return out, true
}
