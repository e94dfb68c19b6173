package passes

import (
	"sort"

	"github.com/nncc/nncc/ir"
)

// fuseLayerNorm recognises layer normalisation written out in primitive
// ops (as exporters do before opset 17) and replaces it with one
// LayerNormalization:
//
//	m = ReduceMean(x, axes)            axes: the trailing axes of x
//	d = Sub(x, m)
//	v = ReduceMean(Pow(d, 2) | Mul(d, d), axes)
//	n = Div(d, Sqrt(Add(v, eps)))
//	y = Add(Mul(n, gamma), beta)       both optional, constants
//
// gamma and beta must hold one value per normalised element (or a single
// value); they become constants of the normalised shape. Every
// intermediate must have no other use. float32 only.
func fuseLayerNorm(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for changed := true; changed; {
		changed = false
		for _, div := range g.Nodes {
			if !isOp(div, "Div") {
				continue
			}
			m, ok := matchLayerNorm(s, div)
			if !ok {
				continue
			}
			ln := &ir.Node{Name: s.name(m.end.Name + "_layernorm"), Op: "LayerNormalization", Opset: onnxOpset(g, 17),
				Inputs: []*ir.Value{m.x, m.gamma}, Attrs: ir.Attrs{}}
			if m.beta != nil {
				ln.Inputs = append(ln.Inputs, m.beta)
			}
			ln.Attrs.SetInt("axis", int64(m.axis))
			ln.Attrs.SetFloat("epsilon", m.eps)
			replaceNode(g, m.end, ln)
			dead := map[*ir.Node]bool{}
			for _, n := range m.nodes {
				if n != m.end {
					dead[n] = true
				}
			}
			removeNodes(g, dead)
			if err := ir.InferNode(ln); err != nil {
				return err
			}
			s.refresh()
			changed = true
			break
		}
	}
	return nil
}

type lnMatch struct {
	x           *ir.Value
	gamma, beta *ir.Value
	axis        int
	eps         float32
	nodes       []*ir.Node
	end         *ir.Node
}

func matchLayerNorm(s *fuseState, div *ir.Node) (lnMatch, bool) {
	var m lnMatch
	d := div.In(0)
	sub := producerOf(d, "Sub")
	sq := soleProducer(s, div.In(1), "Sqrt", div)
	if sub == nil || sq == nil || !isFloat32(d) {
		return m, false
	}
	add := soleProducer(s, sq.In(0), "Add", sq)
	if add == nil {
		return m, false
	}
	var v *ir.Value
	for i := range 2 {
		if e, ok := scalarConst(add.Inputs[1-i]); ok && add.Inputs[i].Const == nil {
			v, m.eps = add.Inputs[i], float32(e)
		}
	}
	rm2 := soleProducer(s, v, "ReduceMean", add)
	if rm2 == nil {
		return m, false
	}
	sqr := producerOf(rm2.In(0), "Pow")
	if sqr != nil && (sqr.In(0) != d || !isScalarConst(sqr.In(1), 2)) {
		sqr = nil
	}
	if sqr == nil {
		if mul := producerOf(rm2.In(0), "Mul"); mul != nil && mul.In(0) == d && mul.In(1) == d {
			sqr = mul
		}
	}
	if sqr == nil || s.soleUser(rm2.In(0)) != rm2 {
		return m, false
	}
	// d feeds exactly the square and the division.
	wantUses := 2
	if sqr.Op == "Mul" {
		wantUses = 3
	}
	if s.uses[d] != wantUses || isGraphOutput(s.g, d) || len(s.users[d]) != 2 {
		return m, false
	}
	m.x = sub.In(0)
	rm1 := soleProducer(s, sub.In(1), "ReduceMean", sub)
	if rm1 == nil || rm1.In(0) != m.x || !m.x.Type.RankKnown {
		return m, false
	}
	r := m.x.Type.Rank()
	ax1, ok1 := reduceAxes(rm1, r)
	ax2, ok2 := reduceAxes(rm2, r)
	if !ok1 || !ok2 || len(ax1) == 0 || !equalInts(ax1, ax2) {
		return m, false
	}
	for i, a := range ax1 {
		if a != r-len(ax1)+i {
			return m, false // not the trailing axes
		}
	}
	m.axis = r - len(ax1)
	norm := m.x.Type.Shape[m.axis:]
	dims, ok := norm.Concrete()
	if !ok || !broadcastFoldableShape(dims) {
		return m, false
	}
	m.nodes = []*ir.Node{rm1, sub, sqr, rm2, add, sq, div}
	m.end = div
	out := div.Out(0)
	// Optional scale and shift.
	if mul := s.soleUser(out); isOp(mul, "Mul") {
		if gv := other(mul, out); gv != nil && sameStaticShape(mul.Out(0).Type, m.x.Type) {
			if t, ok := lnParam(gv, dims); ok {
				m.gamma = s.constant(gv.Name+"_ln", t)
				m.nodes = append(m.nodes, mul)
				m.end, out = mul, mul.Out(0)
			}
		}
	}
	if m.gamma != nil {
		if ad := s.soleUser(out); isOp(ad, "Add") {
			if bv := other(ad, out); bv != nil && sameStaticShape(ad.Out(0).Type, m.x.Type) {
				if t, ok := lnParam(bv, dims); ok {
					m.beta = s.constant(bv.Name+"_ln", t)
					m.nodes = append(m.nodes, ad)
					m.end = ad
				}
			}
		}
	}
	if m.gamma == nil {
		ones := make([]float32, ir.NumElements(dims))
		for i := range ones {
			ones[i] = 1
		}
		m.gamma = s.constant(div.Name+"_ln_scale", ir.FromSlice(ones, dims...))
	}
	return m, true
}

// lnParam returns v's data as a tensor of shape dims, when v is a float32
// constant holding one value per normalised element or a single value,
// and broadcasting it against the normalised shape changes nothing else.
func lnParam(v *ir.Value, dims []int64) (*ir.Tensor, bool) {
	d, ok := floatConst(v)
	if !ok || !broadcastFoldableShape(dims) {
		return nil, false
	}
	vs := v.Const.Shape
	// Leading dims beyond the normalised ones must be 1.
	for i := 0; i < len(vs)-len(dims); i++ {
		if vs[i] != 1 {
			return nil, false
		}
	}
	n := ir.NumElements(dims)
	switch {
	case len(d) == n:
		// Trailing dims must match the normalised ones (no transposition).
		tail := vs[max(0, len(vs)-len(dims)):]
		for i, x := range tail {
			if x != dims[len(dims)-len(tail)+i] {
				return nil, false
			}
		}
		return &ir.Tensor{DType: ir.Float32, Shape: append([]int64{}, dims...), Data: d}, true
	case len(d) == 1:
		out := make([]float32, n)
		for i := range out {
			out[i] = d[0]
		}
		return ir.FromSlice(out, dims...), true
	}
	return nil, false
}

// reduceAxes returns the sorted, normalised axes of a ReduceMean that
// keeps its dims (attribute before opset 18, constant input from 18).
func reduceAxes(n *ir.Node, rank int) ([]int, bool) {
	if n.Attrs.Int("keepdims", 1) != 1 {
		return nil, false
	}
	var axes []int64
	if n.Opset < 18 {
		axes = n.Attrs.Ints("axes", nil)
	} else if a := n.In(1); a != nil {
		v, ok := constInts(a)
		if !ok {
			return nil, false
		}
		axes = v
	}
	var out []int
	for _, a := range axes {
		x, err := ir.NormAxis(a, rank)
		if err != nil {
			return nil, false
		}
		out = append(out, x)
	}
	sort.Ints(out)
	for i := 1; i < len(out); i++ {
		if out[i] == out[i-1] {
			return nil, false
		}
	}
	return out, true
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
