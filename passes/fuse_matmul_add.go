package passes

import "github.com/nncc/nncc/ir"

// fuseMatMulAdd lowers float32 products with constant 2-D weights to
// nncc.FusedGemm, whose kernel packs the weights once at compile time:
//
//	Add(MatMul(A, W), b)  →  FusedGemm(A, W, b)   b one value per column
//	MatMul(A, W)          →  FusedGemm(A, W)
//	Gemm(A, W, C)         →  FusedGemm(A, W, C)   same attributes
//
// A may have rank > 2: FusedGemm flattens its leading dims exactly as
// MatMul broadcasts a 2-D right operand, so the result's shape is
// unchanged. The Add is absorbed only when it does not broadcast the
// product to a larger shape and the product has no other use.
func fuseMatMulAdd(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for i := 0; i < len(g.Nodes); i++ {
		n := g.Nodes[i]
		switch {
		case isOp(n, "MatMul"):
			if !gemmWeights(n) || n.In(0).Type.Rank() < 2 {
				continue
			}
			fg := &ir.Node{Name: s.name(n.Name + "_fused"), Op: "FusedGemm", Domain: ir.FusedDomain, Opset: 1,
				Inputs: []*ir.Value{n.In(0), n.In(1)}, Attrs: ir.Attrs{}}
			replaceNode(g, n, fg)
			useFusedDomain(g)
			if add := s.soleUser(fg.Out(0)); isOp(add, "Add") && len(add.Outputs) == 1 {
				if b := other(add, fg.Out(0)); b != nil && sameStaticShape(add.Out(0).Type, fg.Out(0).Type) {
					if bias, ok := columnBias(s, b, fg.Out(0).Type); ok {
						fg.Inputs = append(fg.Inputs, bias)
						fuseInto(g, fg, add)
					}
				}
			}
			if err := ir.InferNode(fg); err != nil {
				return err
			}
			s.refresh()
			i = -1 // the node list changed; rescan (each MatMul is rewritten once)
		case isOp(n, "Gemm"):
			if !gemmWeights(n) {
				continue
			}
			a := ir.Attrs{}
			for _, name := range []string{"alpha", "beta", "transA", "transB"} {
				if v, ok := n.Attrs[name]; ok {
					a[name] = v
				}
			}
			fg := &ir.Node{Name: s.name(n.Name + "_fused"), Op: "FusedGemm", Domain: ir.FusedDomain, Opset: 1,
				Inputs: append([]*ir.Value{}, n.Inputs...), Attrs: a}
			replaceNode(g, n, fg)
			useFusedDomain(g)
			if err := ir.InferNode(fg); err != nil {
				return err
			}
			s.refresh()
		}
	}
	return nil
}

// gemmWeights reports whether n is a float32 product whose right operand
// is a constant 2-D float32 matrix.
func gemmWeights(n *ir.Node) bool {
	b := n.In(1)
	if !isFloat32(n.In(0)) || !isFloat32(n.Out(0)) || b == nil || b.Const == nil || b.Producer != nil {
		return false
	}
	t := b.Const
	return t.Kind == ir.KindTensor && t.DType == ir.Float32 && len(t.Shape) == 2
}

// columnBias returns b as a [N] constant when it holds one value per
// column of a product of type out (shape [1, ..., 1, N], or [N]), or a
// single value.
func columnBias(s *fuseState, b *ir.Value, out ir.Type) (*ir.Value, bool) {
	d, ok := floatConst(b)
	if !ok || !out.RankKnown || len(out.Shape) == 0 {
		return nil, false
	}
	last := out.Shape[len(out.Shape)-1]
	if !last.Known() {
		return nil, false
	}
	n := int(last.Size)
	bs := b.Const.Shape
	if len(bs) > len(out.Shape) {
		return nil, false
	}
	for i, dim := range bs {
		if i < len(bs)-1 && dim != 1 {
			return nil, false
		}
	}
	switch {
	case len(d) == n && len(bs) == 1:
		return b, true
	case len(d) == n:
		return s.constant(b.Name+"_row", &ir.Tensor{DType: ir.Float32, Shape: []int64{int64(n)}, Data: d}), true
	case len(d) == 1 && broadcastFoldable(n):
		row := make([]float32, n)
		for j := range row {
			row[j] = d[0]
		}
		return s.constant(b.Name+"_row", ir.FromSlice(row, int64(n))), true
	}
	return nil, false
}
