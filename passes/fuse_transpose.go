package passes

import "github.com/nncc/nncc/ir"

// foldTransposes removes data movement the graph does not need (fold has
// already evaluated Transposes of constants):
//
//	Transpose(Transpose(x, p1), p2)  → Transpose(x, p1∘p2), or x if identity
//	Transpose(x, identity)           → x
//	Transpose that moves only size-1 axes → Reshape (a plain copy)
//	Gemm/FusedGemm(Transpose(A), B)  → transA flipped (likewise B, transB)
//	MatMul(A, Transpose(B)), B 2-D   → FusedGemm(A, B, transB=1) (float32;
//	                                    likewise a 2-D Transpose(A), transA)
//	Reshape(Reshape(x, s1), s2)      → Reshape(x, s2) (s2 constant, no 0)
//	Reshape(x, s) to x's own shape   → x
//
// A value that is a graph output keeps its producer (its name is part of
// the model's interface).
func foldTransposes(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for changed := true; changed; {
		changed = false
		for _, n := range g.Nodes {
			ok, err := foldOneTranspose(s, n)
			if err != nil {
				return err
			}
			if ok {
				s.refresh()
				changed = true
				break
			}
		}
	}
	return nil
}

func foldOneTranspose(s *fuseState, n *ir.Node) (bool, error) {
	g := s.g
	switch {
	case isOp(n, "Transpose"):
		perm, ok := transposePerm(n)
		if !ok {
			return false, nil
		}
		if inner := producerOf(n.In(0), "Transpose"); inner != nil {
			p1, ok := transposePerm(inner)
			if ok && len(p1) == len(perm) {
				comp := make([]int64, len(perm))
				for i, p := range perm {
					comp[i] = p1[p]
				}
				a := cloneAttrs(n.Attrs)
				a.SetInts("perm", comp)
				n.Inputs[0], n.Attrs = inner.In(0), a
				s.dropBypassed(inner)
				return true, ir.InferNode(n)
			}
		}
		if isIdentityPerm(perm) && !isGraphOutput(g, n.Out(0)) {
			replaceUses(g, n.Out(0), n.In(0))
			removeNodes(g, map[*ir.Node]bool{n: true})
			return true, nil
		}
		if shape, ok := unitMoveShape(n.In(0).Type, perm); ok {
			sv := s.constant(n.Name+"_shape", ir.FromSlice(shape, int64(len(shape))))
			r := &ir.Node{Name: s.name(n.Name + "_reshape"), Op: "Reshape", Opset: onnxOpset(g, 14),
				Inputs: []*ir.Value{n.In(0), sv}, Attrs: ir.Attrs{}}
			replaceNode(g, n, r)
			return true, ir.InferNode(r)
		}
	case isGemmLike(n):
		for i, attr := range []string{"transA", "transB"} {
			t := producerOf(n.In(i), "Transpose")
			if t == nil || t.In(0).Type.Rank() != 2 {
				continue
			}
			if perm, ok := transposePerm(t); !ok || perm[0] != 1 {
				continue
			}
			a := cloneAttrs(n.Attrs)
			a.SetInt(attr, 1-n.Attrs.Int(attr, 0))
			n.Inputs[i], n.Attrs = t.In(0), a
			s.dropBypassed(t)
			return true, ir.InferNode(n)
		}
	case isOp(n, "MatMul"):
		if !isFloat32(n.In(0)) || !isFloat32(n.Out(0)) {
			return false, nil
		}
		for i, attr := range []string{"transA", "transB"} {
			t := producerOf(n.In(i), "Transpose")
			if t == nil || t.In(0).Type.Rank() != 2 || n.In(1-i).Type.Rank() < 2 {
				continue
			}
			if perm, ok := transposePerm(t); !ok || perm[0] != 1 {
				continue
			}
			if i == 0 && n.In(1).Type.Rank() != 2 {
				continue // transA needs a 2-D A, and FusedGemm a 2-D B
			}
			if i == 1 && n.In(0).Type.Rank() < 2 {
				continue
			}
			ins := []*ir.Value{n.In(0), n.In(1)}
			ins[i] = t.In(0)
			fg := &ir.Node{Name: s.name(n.Name + "_fused"), Op: "FusedGemm", Domain: ir.FusedDomain, Opset: 1,
				Inputs: ins, Attrs: ir.Attrs{}}
			fg.Attrs.SetInt(attr, 1)
			replaceNode(g, n, fg)
			useFusedDomain(g)
			s.dropBypassed(t)
			return true, ir.InferNode(fg)
		}
	case isOp(n, "Reshape"):
		if inner := producerOf(n.In(0), "Reshape"); inner != nil && reshapeTargetFree(n) {
			n.Inputs[0] = inner.In(0)
			s.dropBypassed(inner)
			return true, ir.InferNode(n)
		}
		in, out := n.In(0), n.Out(0)
		if _, ok := in.Type.Shape.Concrete(); ok && in.Type.RankKnown && sameStaticShape(in.Type, out.Type) && !isGraphOutput(g, out) {
			replaceUses(g, out, in)
			removeNodes(g, map[*ir.Node]bool{n: true})
			return true, nil
		}
	}
	return false, nil
}

// transposePerm returns n's permutation (reversed axes by default).
func transposePerm(n *ir.Node) ([]int64, bool) {
	r := n.In(0).Type.Rank()
	if r < 0 {
		return nil, false
	}
	perm := n.Attrs.Ints("perm", nil)
	if perm == nil {
		perm = make([]int64, r)
		for i := range perm {
			perm[i] = int64(r - 1 - i)
		}
	}
	if len(perm) != r {
		return nil, false
	}
	seen := make([]bool, r)
	for _, p := range perm {
		if p < 0 || p >= int64(r) || seen[p] {
			return nil, false
		}
		seen[p] = true
	}
	return perm, true
}

func isIdentityPerm(perm []int64) bool {
	for i, p := range perm {
		if p != int64(i) {
			return false
		}
	}
	return true
}

// unitMoveShape returns the output shape of a Transpose with permutation
// perm when it only moves axes of size 1, so that it is a Reshape; the
// input shape must be fully known.
func unitMoveShape(t ir.Type, perm []int64) ([]int64, bool) {
	dims, ok := t.Shape.Concrete()
	if !ok || !t.RankKnown || isIdentityPerm(perm) {
		return nil, false
	}
	last := int64(-1)
	for _, p := range perm {
		if dims[p] == 1 {
			continue
		}
		if p < last {
			return nil, false
		}
		last = p
	}
	out := make([]int64, len(perm))
	for i, p := range perm {
		out[i] = dims[p]
	}
	return out, true
}

// reshapeTargetFree reports whether a Reshape's target shape is a
// constant that does not refer to its input's dims (no 0 entry copying
// one, unless allowzero makes 0 literal).
func reshapeTargetFree(n *ir.Node) bool {
	v, ok := constInts(n.In(1))
	if !ok {
		return false
	}
	if n.Attrs.Int("allowzero", 0) != 0 {
		return true
	}
	for _, d := range v {
		if d == 0 {
			return false
		}
	}
	return true
}
