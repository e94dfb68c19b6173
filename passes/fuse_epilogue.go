package passes

import (
	"github.com/nncc/nncc/ir"
)

// fuseEpilogue moves the elementwise work that follows a float32 Conv,
// Gemm, ConvTranspose or their fused forms into the product's epilogue,
// where it runs on rows still in cache instead of as separate passes over
// memory:
//
//	Add(P, b)  b constant, one value per output channel  → P's bias
//	Add(P, r)  r of P's exact shape                      → P's residual R
//	Act(P)     Relu, LeakyRelu, Sigmoid, Tanh, Clip with constant bounds,
//	           Gelu, HardSigmoid, HardSwish, Elu, Softplus → P's activation
//
// in that order (the fused op computes act(product + bias + R)), so an Add
// after an activation is left alone. A plain Conv, Gemm or ConvTranspose
// becomes nncc.FusedConv, nncc.FusedGemm or nncc.FusedConvTranspose on
// its first fusion (ConvTranspose takes no residual R). Nothing is fused
// through a value that has another use or is a graph output.
func fuseEpilogue(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for changed := true; changed; {
		changed = false
		for _, p := range g.Nodes {
			if !epilogueProducer(p) {
				continue
			}
			x := s.soleUser(p.Out(0))
			if x == nil || x.Domain != "" || len(x.Outputs) != 1 || !isFloat32(x.Out(0)) {
				continue
			}
			ok, err := fuseOne(s, p, x)
			if err != nil {
				return err
			}
			if ok {
				changed = true
				break
			}
		}
	}
	return nil
}

// epilogueProducer reports whether p can take an epilogue.
func epilogueProducer(p *ir.Node) bool {
	if len(p.Outputs) != 1 || !isFloat32(p.Out(0)) || !isFloat32(p.In(0)) {
		return false
	}
	return isConvLike(p) || isGemmLike(p) || isConvTransposeLike(p)
}

// isConvTransposeLike reports whether n is a ConvTranspose or its fused
// form.
func isConvTransposeLike(n *ir.Node) bool {
	return isOp(n, "ConvTranspose") || isFusedOp(n, "FusedConvTranspose")
}

// epilogueForm is what a plain producer becomes on its first fusion and
// what that fused op's epilogue takes besides a bias and an activation.
type epilogueForm struct {
	fused    string // the nncc-domain op (toFused)
	residual bool   // input 3 is a residual added before the activation
}

// epilogueForms lists the fused form of each plain producer.
var epilogueForms = map[string]epilogueForm{
	"Conv":          {fused: "FusedConv", residual: true},
	"Gemm":          {fused: "FusedGemm", residual: true},
	"ConvTranspose": {fused: "FusedConvTranspose", residual: false},
}

// takesResidual reports whether p, plain or fused, has a residual input.
func takesResidual(p *ir.Node) bool {
	if p.Domain == "" {
		return epilogueForms[p.Op].residual
	}
	for _, f := range epilogueForms {
		if p.Domain == ir.FusedDomain && f.fused == p.Op {
			return f.residual
		}
	}
	return false
}

// fuseOne tries to fold consumer x into producer p.
func fuseOne(s *fuseState, p, x *ir.Node) (bool, error) {
	out := p.Out(0)
	hasAct := p.Attrs.String("activation", "") != ""
	if hasAct {
		return false, nil
	}
	if name, params, ok := fusableActivation(x); ok {
		p = toFused(s, p)
		a := cloneAttrs(p.Attrs)
		a.SetString("activation", name)
		if len(params) > 0 {
			a["activation_params"] = &ir.Attr{Name: "activation_params", Kind: ir.AttrFloats, Floats: params}
		}
		p.Attrs = a
		return true, finishFuse(s, p, x)
	}
	if !isOp(x, "Add") || p.In(3) != nil {
		return false, nil
	}
	r := other(x, out)
	if r == nil || !isFloat32(r) || !sameStaticShape(x.Out(0).Type, out.Type) {
		return false, nil
	}
	if bias, ok := mergedBias(s, p, r); ok {
		p = toFused(s, p)
		p.Inputs = []*ir.Value{p.In(0), p.In(1), bias}
		if isGemmLike(p) {
			a := cloneAttrs(p.Attrs)
			a.SetFloat("beta", 1)
			p.Attrs = a
		}
		return true, finishFuse(s, p, x)
	}
	if sameStaticShape(r.Type, out.Type) && takesResidual(p) {
		p = toFused(s, p)
		p.Inputs = append([]*ir.Value{p.In(0), p.In(1), p.In(2)}, r)
		return true, finishFuse(s, p, x)
	}
	return false, nil
}

func finishFuse(s *fuseState, p, x *ir.Node) error {
	fuseInto(s.g, p, x)
	s.refresh()
	return ir.InferNode(p)
}

// toFused turns a plain Conv, Gemm or ConvTranspose into its fused form (in place in the
// node list) and returns the node to modify.
func toFused(s *fuseState, p *ir.Node) *ir.Node {
	if p.Domain == ir.FusedDomain {
		return p
	}
	a := cloneAttrs(p.Attrs)
	form, ok := epilogueForms[p.Op]
	op := form.fused
	if !ok || p.Domain != "" {
		panic("BUG: toFused of " + p.Op)
	}
	if op == "FusedGemm" {
		delete(a, "broadcast") // opset < 7; C broadcasts in FusedGemm
	}
	f := &ir.Node{Name: s.name(p.Name + "_fused"), Op: op, Domain: ir.FusedDomain, Opset: 1,
		Inputs: append([]*ir.Value{}, p.Inputs...), Attrs: a}
	replaceNode(s.g, p, f)
	useFusedDomain(s.g)
	return f
}

// mergedBias returns the bias input p has after adding the constant r,
// when r holds one value per output channel (or one value in all).
func mergedBias(s *fuseState, p *ir.Node, r *ir.Value) (*ir.Value, bool) {
	rd, ok := floatConst(r)
	if !ok {
		return nil, false
	}
	out := p.Out(0).Type
	var ch int
	if isGemmLike(p) {
		v, ok := columnBias(s, r, out)
		if !ok {
			return nil, false
		}
		rd = v.Const.F32()
		ch = len(rd)
	} else {
		// Conv: channel axis 1; r right-aligned against the output.
		if !out.RankKnown || len(out.Shape) < 2 || !out.Shape[1].Known() {
			return nil, false
		}
		ch = int(out.Shape[1].Size)
		if !broadcastFoldable(ch) {
			return nil, false
		}
		rs := r.Const.Shape
		if len(rs) > len(out.Shape) {
			return nil, false
		}
		off := len(out.Shape) - len(rs)
		for i, d := range rs {
			if d != 1 && off+i != 1 {
				return nil, false
			}
		}
		if len(rd) != 1 && len(rd) != ch {
			return nil, false
		}
	}
	beta := float32(1)
	var old []float32
	if isGemmLike(p) {
		beta = p.Attrs.Float("beta", 1)
	}
	if cv := p.In(2); cv != nil {
		if old, ok = floatConst(cv); !ok {
			return nil, false
		}
		if isGemmLike(p) && !rowVector(cv.Const.Shape, ch) {
			return gemmMatrixBias(s, p, cv, rd, beta)
		}
		if !rowVector(cv.Const.Shape, ch) || (!isGemmLike(p) && len(old) != ch) {
			return nil, false
		}
	}
	nb := make([]float32, ch)
	for j := range nb {
		v := rd[0]
		if len(rd) > 1 {
			v = rd[j]
		}
		switch len(old) {
		case 0:
		case 1:
			v += beta * old[0]
		default:
			v += beta * old[j]
		}
		nb[j] = v
	}
	return s.constant(p.Name+"_bias", ir.FromSlice(nb, int64(ch))), true
}

// fusableActivation returns the fused-activation form of x, if x is an
// activation the fused kernels apply.
func fusableActivation(x *ir.Node) (string, []float32, bool) {
	if x.Domain != "" || len(x.Outputs) != 1 {
		return "", nil, false
	}
	a := x.Attrs
	switch x.Op {
	case "Relu", "Sigmoid", "Tanh", "HardSwish", "Softplus":
		return x.Op, nil, true
	case "LeakyRelu":
		return x.Op, []float32{a.Float("alpha", 0.01)}, true
	case "Elu":
		return x.Op, []float32{a.Float("alpha", 1)}, true
	case "HardSigmoid":
		return x.Op, []float32{a.Float("alpha", 0.2), a.Float("beta", 0.5)}, true
	case "Gelu":
		switch a.String("approximate", "none") {
		case "none":
			return "Gelu", nil, true
		case "tanh":
			return "GeluTanh", nil, true
		}
	case "Clip":
		lo, hi, ok := clipBounds(x)
		if !ok {
			return "", nil, false
		}
		for _, v := range []*ir.Value{x.In(1), x.In(2)} {
			if x.Opset >= 11 && v != nil && v.Const.DType != ir.Float32 { // bounds as inputs: float32 only
				return "", nil, false
			}
		}
		return x.Op, []float32{float32(lo), float32(hi)}, true
	}
	return "", nil, false
}

// gemmMatrixBias adds the per-column constant rd to a 2-D Gemm's constant
// C that varies along rows ([M, N] or [M, 1]): the result is beta·C + rd
// as an [M, N] constant.
func gemmMatrixBias(s *fuseState, p *ir.Node, cv *ir.Value, rd []float32, beta float32) (*ir.Value, bool) {
	out := p.Out(0).Type
	cs := cv.Const.Shape
	if out.Rank() != 2 || len(cs) != 2 {
		return nil, false
	}
	dims, ok := out.Shape.Concrete()
	if !ok || (cs[0] != 1 && cs[0] != dims[0]) || (cs[1] != 1 && cs[1] != dims[1]) || dims[0]*dims[1] > 1<<20 {
		return nil, false
	}
	m, n := int(dims[0]), int(dims[1])
	old := cv.Const.F32()
	nc := make([]float32, m*n)
	for i := range m {
		for j := range n {
			ci, cj := i, j
			if cs[0] == 1 {
				ci = 0
			}
			if cs[1] == 1 {
				cj = 0
			}
			v := rd[0]
			if len(rd) > 1 {
				v = rd[j]
			}
			nc[i*n+j] = beta*old[ci*int(cs[1])+cj] + v
		}
	}
	return s.constant(p.Name+"_bias", ir.FromSlice(nc, dims...)), true
}
