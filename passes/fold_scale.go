package passes

import "github.com/nncc/nncc/ir"

// foldScale folds per-channel constant scales and shifts into the constant
// weights of the Conv next to them, the form tf2onnx and Keras exports
// give a folded BatchNormalization or a per-channel gain:
//
//	Conv → Mul(s) | Add(t) | Sub(t)   the Conv's sole use; s, t constants
//	                                  per output channel (or one value):
//	                                  W'[m] = W[m]·s[m], b' = b·s + t
//	Mul(x, s) → Conv                  the Mul's sole use is the Conv's X;
//	                                  s per input channel (or one value):
//	                                  W'[m, c] = W[m, c]·s[g(m)·C/G + c]
//
// A scale in front of a convolution commutes with its zero padding (0·s =
// 0), so pads of any size are fine. Only float32 graphs with constant W
// (and B) are folded; the folded weights are new constants (the originals
// may be shared). Products are formed in float64 and rounded once.
func foldScale(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for changed := true; changed; {
		changed = false
		for _, n := range g.Nodes {
			if foldScaleAfter(g, s, n) || foldScaleBefore(s, n) {
				s.refresh()
				changed = true
				break
			}
		}
	}
	return nil
}

// foldScaleAfter folds n = Mul/Add/Sub(Conv(...), const) into the Conv.
func foldScaleAfter(g *ir.Graph, s *fuseState, n *ir.Node) bool {
	if !(isOp(n, "Mul") || isOp(n, "Add") || isOp(n, "Sub")) || len(n.Inputs) != 2 || !isFloat32(n.Out(0)) {
		return false
	}
	for i, in := range n.Inputs {
		p := in.Producer
		if p == nil || !isOp(p, "Conv") || s.soleUser(in) != n || (isOp(n, "Sub") && i != 0) {
			continue
		}
		m := staticDim1(p.Out(0))
		v, ok := channelConst(n.Inputs[1-i], p.Out(0).Type, m)
		if !ok || !sameStaticShape(p.Out(0).Type, n.Out(0).Type) {
			continue
		}
		f := bnFold{mul: make([]float64, m), add: make([]float64, m)}
		for c := range f.mul {
			switch n.Op {
			case "Mul":
				f.mul[c] = v[c]
			case "Add":
				f.mul[c], f.add[c] = 1, v[c]
			case "Sub":
				f.mul[c], f.add[c] = 1, -v[c]
			}
		}
		if foldBNConv(s, p, n, f) {
			fuseInto(g, p, n)
			return true
		}
	}
	return false
}

// foldScaleBefore folds n = Mul(x, const) into the Conv that is its sole
// user, reading x.
func foldScaleBefore(s *fuseState, n *ir.Node) bool {
	if !isOp(n, "Mul") || len(n.Inputs) != 2 || !isFloat32(n.Out(0)) {
		return false
	}
	p := s.soleUser(n.Out(0))
	if !isOp(p, "Conv") || p.In(0) != n.Out(0) || p.In(1) == n.Out(0) || p.In(2) == n.Out(0) {
		return false
	}
	w, ok := floatConst(p.In(1))
	if !ok {
		return false
	}
	ws := p.In(1).Const.Shape
	grp := p.Attrs.Int("group", 1)
	ch := staticDim1(n.Out(0))
	if len(ws) < 3 || grp <= 0 || ch <= 0 || ws[0]%grp != 0 || ws[1]*grp != int64(ch) {
		return false
	}
	for i, in := range n.Inputs {
		x := n.Inputs[1-i]
		v, ok := channelConst(in, n.Out(0).Type, ch)
		if !ok || x.Const != nil || !sameStaticShape(x.Type, n.Out(0).Type) {
			continue
		}
		nw := scaleGrouped(w, ws, int(grp), v)
		p.Inputs[0] = x
		p.Inputs[1] = s.constant(p.In(1).Name+"_scaled", ir.FromSlice(nw, ws...))
		return true
	}
	return false
}

// staticDim1 returns dim 1 of a float32 value of rank ≥ 3 whose shape is
// static except perhaps dim 0, else 0.
func staticDim1(v *ir.Value) int {
	if v == nil || !isFloat32(v) || v.Type.Rank() < 3 {
		return 0
	}
	for _, d := range v.Type.Shape[1:] {
		if !d.Known() {
			return 0
		}
	}
	return int(v.Type.Shape[1].Size)
}

// channelConst returns the values of a float32 constant that broadcasts
// along axis 1 only of a tensor of type t with ch channels (shape [],
// [1…], [ch, 1, …] or [1, ch, 1, …] aligned at the right, never of higher
// rank than t), expanded to ch values.
func channelConst(v *ir.Value, t ir.Type, ch int) ([]float64, bool) {
	d, ok := floatConst(v)
	if !ok || ch <= 0 || !broadcastFoldable(ch) {
		return nil, false
	}
	cs, r := v.Const.Shape, t.Rank()
	if len(cs) > r {
		return nil, false
	}
	for i, n := range cs {
		axis := r - len(cs) + i
		if n != 1 && (axis != 1 || n != int64(ch)) {
			return nil, false
		}
	}
	out := make([]float64, ch)
	for c := range out {
		if len(d) == 1 {
			out[c] = float64(d[0])
		} else {
			out[c] = float64(d[c])
		}
	}
	return out, true
}
