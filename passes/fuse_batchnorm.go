package passes

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// foldBatchNorm folds an inference-mode BatchNormalization into the Conv
// (or ConvTranspose, Gemm, FusedConv, FusedGemm without activation or
// residual) that
// produces its input, when that producer's weights and bias are constants
// and the BatchNormalization is its only use:
//
//	s[c] = scale[c] / sqrt(var[c] + epsilon)
//	W'   = W · s (per output channel: Conv's dim 0, Gemm's op(B) column,
//	             ConvTranspose's dim 1 within each group)
//	b'   = (b - mean) · s + B           (b = 0 without a bias)
//
// The folded weights and bias are new constants (the originals may be
// shared); the producer takes over the BatchNormalization's output. Only
// float32 graphs are folded.
func foldBatchNorm(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for changed := true; changed; {
		changed = false
		for _, bn := range g.Nodes {
			if !isOp(bn, "BatchNormalization") || !bnInference(bn) {
				continue
			}
			if bnThroughBias(g, s, bn) { // fuse_batchnorm_shift.go
				s.refresh()
				changed = true
				break
			}
			p := bn.In(0).Producer
			if p == nil || s.soleUser(bn.In(0)) != bn {
				continue
			}
			sc, ok := bnScale(bn)
			if !ok {
				continue
			}
			var folded bool
			switch {
			case isConvLike(p) && fusedPlain(p):
				folded = foldBNConv(s, p, bn, sc)
			case isGemmLike(p) && fusedPlain(p):
				folded = foldBNGemm(s, p, bn, sc)
			case isOp(p, "ConvTranspose"):
				folded = foldBNConvTranspose(s, p, bn, sc)
			}
			if folded {
				fuseInto(g, p, bn)
				s.refresh()
				changed = true
				break
			}
		}
	}
	return nil
}

// bnInference reports whether bn normalises with its running statistics
// and has only its Y output.
func bnInference(bn *ir.Node) bool {
	for _, o := range bn.Outputs[1:] {
		if o != nil {
			return false
		}
	}
	if bn.Attrs.Int("training_mode", 0) != 0 {
		return false
	}
	if bn.Opset < 9 && bn.Attrs.Int("spatial", 1) == 0 {
		return false
	}
	return isFloat32(bn.In(0))
}

// bnFold is a BatchNormalization as y = x·mul[c] + add[c].
type bnFold struct{ mul, add []float64 }

func bnScale(bn *ir.Node) (bnFold, bool) {
	var p [4][]float32
	for i := range p {
		d, ok := floatConst(bn.In(i + 1))
		if !ok {
			return bnFold{}, false
		}
		p[i] = d
	}
	ch := len(p[0])
	for _, d := range p {
		if len(d) != ch {
			return bnFold{}, false
		}
	}
	eps := float64(bn.Attrs.Float("epsilon", 1e-5))
	f := bnFold{mul: make([]float64, ch), add: make([]float64, ch)}
	for c := range ch {
		m := float64(p[0][c]) / math.Sqrt(float64(p[3][c])+eps)
		f.mul[c] = m
		f.add[c] = float64(p[1][c]) - float64(p[2][c])*m
	}
	return f, true
}

// isConvLike and isGemmLike name the producers whose weights can absorb
// a per-channel affine map.
func isConvLike(n *ir.Node) bool {
	return isOp(n, "Conv") || isFusedOp(n, "FusedConv")
}

func isGemmLike(n *ir.Node) bool {
	return isOp(n, "Gemm") || isFusedOp(n, "FusedGemm")
}

// fusedPlain reports whether a fused op has neither activation nor
// residual yet (plain Conv and Gemm always qualify).
func fusedPlain(n *ir.Node) bool {
	return n.Attrs.String("activation", "") == "" && n.In(3) == nil
}

func foldBNConv(s *fuseState, p, bn *ir.Node, f bnFold) bool {
	w, ok := floatConst(p.In(1))
	if !ok || !isFloat32(p.Out(0)) {
		return false
	}
	ws := p.In(1).Const.Shape
	ch := len(f.mul)
	if len(ws) < 3 || int(ws[0]) != ch || len(w)%ch != 0 {
		return false
	}
	var b []float32
	if bv := p.In(2); bv != nil {
		if b, ok = floatConst(bv); !ok || len(b) != ch {
			return false
		}
	}
	per := len(w) / ch
	nw := make([]float32, len(w))
	nb := make([]float32, ch)
	for c := range ch {
		m := f.mul[c]
		for i := c * per; i < (c+1)*per; i++ {
			nw[i] = float32(float64(w[i]) * m)
		}
		bias := 0.0
		if b != nil {
			bias = float64(b[c])
		}
		nb[c] = float32(bias*m + f.add[c])
	}
	wv := s.constant(p.In(1).Name+"_bn", ir.FromSlice(nw, ws...))
	bv := s.constant(bn.Name+"_bias", ir.FromSlice(nb, int64(ch)))
	p.Inputs = append([]*ir.Value{p.In(0), wv, bv}, p.Inputs[min(3, len(p.Inputs)):]...)
	return true
}

func foldBNGemm(s *fuseState, p, bn *ir.Node, f bnFold) bool {
	w, ok := floatConst(p.In(1))
	if !ok || !isFloat32(p.Out(0)) || p.Out(0).Type.Rank() != 2 {
		return false
	}
	ws := p.In(1).Const.Shape
	if len(ws) != 2 {
		return false
	}
	transB := p.Attrs.Int("transB", 0) != 0
	k, n := int(ws[0]), int(ws[1])
	if transB {
		k, n = n, k
	}
	if n != len(f.mul) {
		return false
	}
	beta := float64(p.Attrs.Float("beta", 1))
	var cb []float32
	if cv := p.In(2); cv != nil {
		if cb, ok = floatConst(cv); !ok || !rowVector(cv.Const.Shape, n) {
			return false
		}
	}
	nw := make([]float32, len(w))
	for r := range k {
		for j := range n {
			idx := r*n + j // op(B)[r, j] stored at B[r, j]
			if transB {
				idx = j*k + r // stored at B[j, r]
			}
			nw[idx] = float32(float64(w[idx]) * f.mul[j])
		}
	}
	nb := make([]float32, n)
	for j := range n {
		bias := 0.0
		switch len(cb) {
		case 0:
		case 1:
			bias = beta * float64(cb[0])
		default:
			bias = beta * float64(cb[j])
		}
		nb[j] = float32(bias*f.mul[j] + f.add[j])
	}
	wv := s.constant(p.In(1).Name+"_bn", ir.FromSlice(nw, ws...))
	bv := s.constant(bn.Name+"_bias", ir.FromSlice(nb, int64(n)))
	p.Inputs = append([]*ir.Value{p.In(0), wv, bv}, p.Inputs[min(3, len(p.Inputs)):]...)
	a := cloneAttrs(p.Attrs)
	a.SetFloat("beta", 1)
	p.Attrs = a
	return true
}

// rowVector reports whether shape s holds one value per column of an
// n-column matrix ([n] or [1, n]) or one value for all ([], [1], [1, 1]).
func rowVector(s []int64, n int) bool {
	numel := ir.NumElements(s)
	if len(s) > 2 {
		return false
	}
	if numel == 1 {
		return true
	}
	return numel == n && s[len(s)-1] == int64(n)
}

// foldBNConvTranspose folds into a ConvTranspose, whose weights are
// [Cin, Cout/group, k...]: input channel ci belongs to group
// ci / (Cin/group), and weight [ci, j, ...] feeds output channel
// group·(Cout/group) + j.
func foldBNConvTranspose(s *fuseState, p, bn *ir.Node, f bnFold) bool {
	w, ok := floatConst(p.In(1))
	if !ok || !isFloat32(p.Out(0)) {
		return false
	}
	ws := p.In(1).Const.Shape
	ch := len(f.mul)
	group := int(p.Attrs.Int("group", 1))
	if len(ws) < 3 || group < 1 || int(ws[0])%group != 0 || int(ws[1])*group != ch {
		return false
	}
	if len(w)%(int(ws[0])*int(ws[1])) != 0 {
		return false
	}
	var b []float32
	if bv := p.In(2); bv != nil {
		if b, ok = floatConst(bv); !ok || len(b) != ch {
			return false
		}
	}
	nw := scaleGrouped(w, ws, group, f.mul)
	nb := make([]float32, ch)
	for c := range ch {
		bias := 0.0
		if b != nil {
			bias = float64(b[c])
		}
		nb[c] = float32(bias*f.mul[c] + f.add[c])
	}
	wv := s.constant(p.In(1).Name+"_bn", ir.FromSlice(nw, ws...))
	bv := s.constant(bn.Name+"_bias", ir.FromSlice(nb, int64(ch)))
	p.Inputs = []*ir.Value{p.In(0), wv, bv}
	return true
}

// scaleGrouped returns a copy of the weight w of shape ws = [A, B, k...],
// whose A rows fall into group groups, with W[a, b, ...] multiplied by
// s[(a / (A/group))·B + b]: the channel of dim 1 that (a, b) meets across
// the groups (the input channel of a Conv's weight [M, C/group, ...], the
// output channel of a ConvTranspose's [C, M/group, ...]). The caller has
// checked that group divides A and that s has group·B entries.
func scaleGrouped(w []float32, ws []int64, group int, s []float64) []float32 {
	rowsG, cols := int(ws[0])/group, int(ws[1])
	per := len(w) / (int(ws[0]) * cols) // kernel taps per (a, b)
	nw := make([]float32, len(w))
	for a := range int(ws[0]) {
		for b := range cols {
			m := s[(a/rowsG)*cols+b]
			base := (a*cols + b) * per
			for i := base; i < base+per; i++ {
				nw[i] = float32(float64(w[i]) * m)
			}
		}
	}
	return nw
}
