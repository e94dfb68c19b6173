package passes

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// fuseAttention recognises scaled dot-product attention as exporters write
// it (PyTorch's MultiheadAttention, Hugging Face encoders, ONNX Attention's
// function body) and replaces it with one nncc.FusedAttention:
//
//	P = Softmax(Where?(C, MatMul(Q', K') ·/÷ c…, F) + M?)   (last axis)
//	P = Softmax(Where(C, MatMul(Q', K') ·/÷ c… + M, F))     (mask inside)
//	Y' = MatMul(P, V')
//
// where Q', K' and V' are Q, K and V seen through chains of Transpose,
// Reshape/Squeeze/Unsqueeze/Flatten and unit-step Slice (Q' and K' also
// through Mul/Div by scalar constants, which fold into the scale), the
// scores may be scaled by scalar constants before the masks, the Where
// (condition C, scalar fill F, either branch) comes before the additive
// mask M, and Y' may be followed by Transpose/Reshape nodes whose last
// result the fused node produces directly. The chains become the operand
// layouts (see fuse_attention_view.go), so the head split and merge copy
// nothing. Every intermediate must have no other use, every shape must be
// static and every operand float32; anything else is left as it is.
func fuseAttention(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for changed := true; changed; {
		changed = false
		for _, n := range g.Nodes {
			if !isOp(n, "Softmax") {
				continue
			}
			m := matchAttention(s, n)
			if m == nil {
				continue
			}
			if err := m.rewrite(g, s); err != nil {
				return err
			}
			s.refresh()
			changed = true
			break
		}
	}
	return nil
}

// attnMatch is one recognised attention block.
type attnMatch struct {
	q, k, v, y view
	mask, cond *ir.Value
	masks      [2]*ir.Value // two additive masks, summed into mask first (twoMasks)
	m, c       view
	keep       bool
	fill       float32
	maskFirst  bool // the mask is added inside the Where's kept branch
	scale      float64
	sizes      [4]int // sq, sk, dk, dv
	batch      []int64
	out        *ir.Value // the value the fused node produces
	last       *ir.Node  // out's producer: the fused node takes its place
	dead       []*ir.Node
}

// scaleOf returns the factor a Mul or Div node applies to its data input
// and that input, when the other operand is a one-element float constant
// and the output has the data's shape.
func scaleOf(n *ir.Node) (*ir.Value, float64, bool) {
	if len(n.Inputs) != 2 || len(n.Outputs) != 1 {
		return nil, 0, false
	}
	switch {
	case isOp(n, "Mul"):
		for i := range 2 {
			if k, ok := scalarConst(n.Inputs[1-i]); ok && isFloat32(n.Inputs[1-i]) && sameStaticShape(n.Inputs[i].Type, n.Out(0).Type) {
				return n.Inputs[i], k, true
			}
		}
	case isOp(n, "Div"):
		if k, ok := scalarConst(n.Inputs[1]); ok && k != 0 && isFloat32(n.Inputs[1]) && sameStaticShape(n.Inputs[0].Type, n.Out(0).Type) {
			return n.Inputs[0], 1 / k, true
		}
	}
	return nil, 0, false
}

// chainView walks back from v (used only by user) through view nodes —
// and, when scalable, scalar Mul/Div — to the first value that is not
// such a node's sole-use output, and returns v as a view of that value.
// A chain may start at one output of a Split (a packed QKV projection cut
// in three): the view then reads the Split's input, and the Split stays
// in the graph for its other outputs (dce drops it once none is used).
func chainView(s *fuseState, v *ir.Value, user *ir.Node, scalable bool) (vw view, scale float64, nodes []*ir.Node, ok bool) {
	scale = 1
	var split *ir.Node
	splitOut := -1
	for {
		p := v.Producer
		if p != nil && isOp(p, "Split") && s.soleUser(v) == user && isFloat32(v) {
			for i, o := range p.Outputs {
				if o == v {
					split, splitOut = p, i
				}
			}
			v = p.In(0)
			break
		}
		if p == nil || p.Domain != "" || len(p.Outputs) != 1 || s.soleUser(v) != user || !isFloat32(v) {
			break
		}
		var in *ir.Value
		switch p.Op {
		case "Transpose", "Reshape", "Squeeze", "Unsqueeze", "Flatten", "Identity", "Slice":
			in = p.In(0)
		case "Mul", "Div":
			if !scalable {
				break
			}
			x, k, ok := scaleOf(p)
			if !ok {
				break
			}
			in, scale = x, scale*k
		}
		if in == nil {
			break
		}
		nodes = append(nodes, p)
		v, user = in, p
	}
	shape, ok := staticShape(v)
	if !ok || !isFloat32(v) {
		return view{}, 0, nil, false
	}
	vw = identityView(v, shape)
	if split != nil {
		axis, lo, hi, ok := splitRange(split, splitOut, shape)
		if !ok {
			return view{}, 0, nil, false
		}
		if vw, ok = vw.slice(axis, lo, hi); !ok {
			return view{}, 0, nil, false
		}
	}
	for i := len(nodes) - 1; i >= 0; i-- {
		if vw, ok = applyView(nodes[i], vw); !ok {
			return view{}, 0, nil, false
		}
	}
	return vw, scale, nodes, true
}

// applyView returns the view of n's output given the view of its data
// input.
func applyView(n *ir.Node, in view) (view, bool) {
	out, ok := staticShape(n.Out(0))
	if !ok {
		return view{}, false
	}
	switch n.Op {
	case "Identity", "Mul", "Div":
		return in, true
	case "Reshape", "Squeeze", "Unsqueeze", "Flatten":
		return in.reshape(out)
	case "Transpose":
		perm := n.Attrs.Ints("perm", nil)
		if perm == nil {
			for k := len(in.dims) - 1; k >= 0; k-- {
				perm = append(perm, int64(k))
			}
		}
		return in.transpose(perm)
	case "Slice":
		return sliceView(n, in)
	}
	return view{}, false
}

// splitRange is the part [lo, hi) of axis that output out of a Split of
// an input of the given shape holds. Shape inference has already put each
// output's size along the axis on its type (from the split attribute, the
// constant input, num_outputs or equal parts), so the range is the sum of
// the sizes before out.
func splitRange(n *ir.Node, out int, shape []int64) (axis, lo, hi int, ok bool) {
	ax, err := ir.NormAxis(n.Attrs.Int("axis", 0), len(shape))
	if err != nil {
		return 0, 0, 0, false
	}
	for i := 0; i <= out; i++ {
		s, ok := staticShape(n.Out(i))
		if !ok || len(s) != len(shape) {
			return 0, 0, 0, false
		}
		if i < out {
			lo += int(s[ax])
		} else {
			hi = lo + int(s[ax])
		}
	}
	return ax, lo, hi, hi > lo
}

// sliceView applies a Slice with constant starts, ends, axes and unit steps.
func sliceView(n *ir.Node, in view) (view, bool) {
	shape, ok := staticShape(n.In(0))
	if !ok {
		return view{}, false
	}
	var starts, ends, axes, steps []int64
	if n.Opset != 0 && n.Opset < 10 {
		starts, ends, axes = n.Attrs.Ints("starts", nil), n.Attrs.Ints("ends", nil), n.Attrs.Ints("axes", nil)
	} else {
		get := func(i int) ([]int64, bool) {
			v := n.In(i)
			if v == nil {
				return nil, true
			}
			return constInts(v)
		}
		var ok1, ok2, ok3, ok4 bool
		starts, ok1 = get(1)
		ends, ok2 = get(2)
		axes, ok3 = get(3)
		steps, ok4 = get(4)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return view{}, false
		}
	}
	if len(starts) != len(ends) || (axes != nil && len(axes) != len(starts)) || (steps != nil && len(steps) != len(starts)) {
		return view{}, false
	}
	out := in
	for i := range starts {
		ax := int64(i)
		if axes != nil {
			ax = axes[i]
		}
		if ax < 0 {
			ax += int64(len(shape))
		}
		if ax < 0 || int(ax) >= len(shape) || (steps != nil && steps[i] != 1) {
			return view{}, false
		}
		dim := shape[ax]
		clamp := func(x int64) int64 {
			if x < 0 {
				x += dim
			}
			return min(max(x, 0), dim)
		}
		lo, hi := clamp(starts[i]), clamp(ends[i])
		if hi <= lo {
			return view{}, false
		}
		if out, ok = out.slice(int(ax), int(lo), int(hi)); !ok {
			return view{}, false
		}
	}
	return out, true
}

// matchAttention matches the block whose Softmax is sm.
func matchAttention(s *fuseState, sm *ir.Node) *attnMatch {
	pShape, ok := staticShape(sm.Out(0))
	r := len(pShape)
	if !ok || r < 2 || !isFloat32(sm.Out(0)) || len(sm.Outputs) != 1 {
		return nil
	}
	axis := sm.Attrs.Int("axis", -1)
	if sm.Opset != 0 && sm.Opset < 13 && !sm.Attrs.Has("axis") {
		axis = 1
	}
	if axis != -1 && axis != int64(r-1) {
		return nil
	}
	m := &attnMatch{scale: 1, keep: true}
	m.dead = append(m.dead, sm)

	// Pre-softmax: [Add mask] ← [Where] ← [scale]* ← MatMul.
	x, user := sm.In(0), sm
	if a := soleProducer(s, x, "Add", user); a != nil && sameStaticShape(a.Out(0).Type, sm.Out(0).Type) {
		for i := range 2 {
			if scoresBelow(s, a.Inputs[i], a) {
				m.mask, x, user = a.Inputs[1-i], a.Inputs[i], a
				m.dead = append(m.dead, a)
				break
			}
		}
		if m.mask == nil {
			var ok bool
			if x, user, ok = m.twoMasks(s, a); !ok {
				return nil
			}
		}
	}
	if w := soleProducer(s, x, "Where", user); w != nil && len(w.Inputs) == 3 && sameStaticShape(w.Out(0).Type, sm.Out(0).Type) {
		for i, keep := range []bool{true, false} {
			data, fill := w.Inputs[1+i], w.Inputs[2-i]
			f, isScalar := scalarConst(fill)
			if !isScalar || !isFloat32(fill) {
				continue
			}
			if scoresBelow(s, data, w) {
				m.cond, m.keep, m.fill = w.Inputs[0], keep, float32(f)
				x, user = data, w
				m.dead = append(m.dead, w)
				break
			}
			// Where(C, scores + M, F): the mask inside the kept branch.
			a := soleProducer(s, data, "Add", w)
			if m.mask != nil || a == nil || !sameStaticShape(a.Out(0).Type, sm.Out(0).Type) {
				continue
			}
			for j := range 2 {
				if scoresBelow(s, a.Inputs[j], a) {
					m.cond, m.keep, m.fill, m.maskFirst = w.Inputs[0], keep, float32(f), true
					m.mask, x, user = a.Inputs[1-j], a.Inputs[j], a
					m.dead = append(m.dead, w, a)
					break
				}
			}
			if m.cond != nil {
				break
			}
		}
		if m.cond == nil {
			return nil
		}
	}
	for {
		p := x.Producer
		if p == nil || s.soleUser(x) != user {
			return nil
		}
		if isOp(p, "MatMul") {
			break
		}
		in, k, ok := scaleOf(p)
		if !ok {
			return nil
		}
		m.scale *= k
		m.dead = append(m.dead, p)
		x, user = in, p
	}
	mm1 := x.Producer
	sShape, ok := staticShape(x)
	if !ok || !sameStaticShape(x.Type, sm.Out(0).Type) {
		return nil
	}
	m.dead = append(m.dead, mm1)

	// P·V and what follows it.
	mm2 := s.soleUser(sm.Out(0))
	if !isOp(mm2, "MatMul") || mm2.In(0) != sm.Out(0) || mm2.In(1) == sm.Out(0) {
		return nil
	}
	yShape, ok := staticShape(mm2.Out(0))
	if !ok || len(yShape) != r || !isFloat32(mm2.Out(0)) {
		return nil
	}
	for a := range r - 2 {
		if yShape[a] != sShape[a] {
			return nil
		}
	}
	m.dead = append(m.dead, mm2)
	bs := sShape[:r-2]
	sq, sk, dv := sShape[r-2], sShape[r-1], yShape[r-1]

	// Operand views.
	qv, qs, qn, ok := chainView(s, mm1.In(0), mm1, true)
	if !ok {
		return nil
	}
	kv, ks, kn, ok := chainView(s, mm1.In(1), mm1, true)
	if !ok {
		return nil
	}
	vv, _, vn, ok := chainView(s, mm2.In(1), mm2, false)
	if !ok {
		return nil
	}
	m.scale *= qs * ks
	m.dead = append(append(append(m.dead, qn...), kn...), vn...)
	qShape, _ := staticShape(mm1.In(0))
	kShape, _ := staticShape(mm1.In(1))
	vShape, _ := staticShape(mm2.In(1))
	if len(qShape) < 2 || len(kShape) < 2 || len(vShape) < 2 {
		return nil
	}
	dk := qShape[len(qShape)-1]
	full := func(a, b int64) []int64 { return append(append([]int64{}, bs...), a, b) }
	if m.q, ok = qv.broadcastTo(qShape, full(sq, dk)); !ok {
		return nil
	}
	if m.k, ok = kv.broadcastTo(kShape, full(dk, sk)); !ok {
		return nil
	}
	if m.v, ok = vv.broadcastTo(vShape, full(sk, dv)); !ok {
		return nil
	}
	// K' is Kᵀ: swap its last two axes so every operand reads (seq, dim).
	m.k.dims[r-2], m.k.dims[r-1] = m.k.dims[r-1], m.k.dims[r-2]

	// The result: forward through Transpose/Reshape, then back as a view.
	var outChain []*ir.Node
	yv := mm2.Out(0)
	for {
		u := s.soleUser(yv)
		if u == nil || u.Domain != "" || len(u.Outputs) != 1 || u.In(0) != yv || !isFloat32(u.Out(0)) {
			break
		}
		if u.Op != "Transpose" && u.Op != "Reshape" && u.Op != "Squeeze" && u.Op != "Unsqueeze" && u.Op != "Flatten" {
			break
		}
		if _, ok := staticShape(u.Out(0)); !ok {
			break
		}
		outChain = append(outChain, u)
		yv = u.Out(0)
	}
	finalShape, ok := staticShape(yv)
	if !ok {
		return nil
	}
	m.y = identityView(yv, finalShape)
	for i := len(outChain) - 1; i >= 0; i-- {
		n := outChain[i]
		inShape, _ := staticShape(n.In(0))
		if n.Op == "Transpose" {
			perm := n.Attrs.Ints("perm", nil)
			if perm == nil {
				for k := len(inShape) - 1; k >= 0; k-- {
					perm = append(perm, int64(k))
				}
			}
			m.y, ok = m.y.untranspose(perm)
		} else {
			m.y, ok = m.y.reshape(inShape)
		}
		if !ok {
			return nil
		}
	}
	m.dead = append(m.dead, outChain...)
	m.out = yv
	m.last = yv.Producer

	// Masks: right-aligned broadcasts of whole values.
	views := []view{m.q, m.k, m.v, m.y}
	if m.mask != nil {
		ms, ok := m.maskShape()
		if !ok {
			return nil
		}
		if m.m, ok = identityView(m.mask, ms).broadcastTo(ms, sShape); !ok {
			return nil
		}
		views = append(views, m.m)
	}
	if m.cond != nil {
		cs, ok := staticShape(m.cond)
		if !ok || m.cond.Type.DType != ir.Bool {
			return nil
		}
		if m.c, ok = identityView(m.cond, cs).broadcastTo(cs, sShape); !ok {
			return nil
		}
		views = append(views, m.c)
	}
	for _, v := range views {
		for _, d := range v.dims[r-2:] {
			if _, ok := single(d); !ok {
				return nil
			}
		}
	}
	batch, _, ok := refine(views, r-2)
	if !ok {
		return nil
	}
	for _, b := range batch {
		m.batch = append(m.batch, int64(b))
	}
	m.sizes = [4]int{int(sq), int(sk), int(dk), int(dv)}
	if math.IsNaN(m.scale) || math.IsInf(m.scale, 0) {
		return nil
	}
	return m
}

// scoresBelow reports whether v is (a scalar scaling of) a MatMul result
// or a Where over one, used only by user: the score side of a mask.
func scoresBelow(s *fuseState, v *ir.Value, user *ir.Node) bool {
	for v != nil && s.soleUser(v) == user && v.Producer != nil {
		p := v.Producer
		switch {
		case isOp(p, "MatMul"):
			return true
		case isOp(p, "Where") && len(p.Inputs) == 3:
			if scoresBelow(s, p.Inputs[1], p) || scoresBelow(s, p.Inputs[2], p) {
				return true
			}
			return false
		}
		in, _, ok := scaleOf(p)
		if !ok {
			return false
		}
		v, user = in, p
	}
	return false
}

// layout renders a view's strides as a FusedAttention layout attribute.
func layoutAttr(name string, v view, strides []int) *ir.Attr {
	l := []int64{int64(v.off)}
	for _, st := range strides {
		l = append(l, int64(st))
	}
	r := len(v.dims)
	seq, _ := single(v.dims[r-2])
	dim, _ := single(v.dims[r-1])
	l = append(l, int64(seq), int64(dim))
	return &ir.Attr{Name: name, Kind: ir.AttrInts, Ints: l}
}

func (m *attnMatch) rewrite(g *ir.Graph, s *fuseState) error {
	views := []view{m.q, m.k, m.v, m.y}
	if m.mask != nil {
		views = append(views, m.m)
	}
	if m.cond != nil {
		views = append(views, m.c)
	}
	r := len(m.q.dims)
	_, strides, _ := refine(views, r-2)
	yShape, _ := staticShape(m.out)
	attrs := ir.Attrs{
		"sizes":    &ir.Attr{Name: "sizes", Kind: ir.AttrInts, Ints: []int64{int64(m.sizes[0]), int64(m.sizes[1]), int64(m.sizes[2]), int64(m.sizes[3])}},
		"scale":    &ir.Attr{Name: "scale", Kind: ir.AttrFloat, F: float32(m.scale)},
		"q_layout": layoutAttr("q_layout", m.q, strides[0]),
		"k_layout": layoutAttr("k_layout", m.k, strides[1]),
		"v_layout": layoutAttr("v_layout", m.v, strides[2]),
		"y_layout": layoutAttr("y_layout", m.y, strides[3]),
		"y_shape":  &ir.Attr{Name: "y_shape", Kind: ir.AttrInts, Ints: yShape},
	}
	if len(m.batch) > 0 {
		attrs["batch"] = &ir.Attr{Name: "batch", Kind: ir.AttrInts, Ints: m.batch}
	}
	if m.masks[0] != nil {
		sum := &ir.Node{Name: s.name(m.last.Name + "_masks"), Op: "Add", Opset: onnxOpset(g, 7),
			Inputs: m.masks[:], Outputs: []*ir.Value{m.mask}}
		m.mask.Producer, m.mask.Index = sum, 0
		insertBefore(g, m.last, sum)
		if err := ir.InferNode(sum); err != nil {
			return err
		}
	}
	ins := []*ir.Value{m.q.base, m.k.base, m.v.base, nil, nil}
	i := 4
	if m.mask != nil {
		ins[3] = m.mask
		attrs["mask_layout"] = layoutAttr("mask_layout", m.m, strides[i])
		i++
	}
	if m.cond != nil {
		ins[4] = m.cond
		attrs["cond_layout"] = layoutAttr("cond_layout", m.c, strides[i])
		attrs["fill"] = &ir.Attr{Name: "fill", Kind: ir.AttrFloat, F: m.fill}
		if !m.keep {
			attrs["keep"] = &ir.Attr{Name: "keep", Kind: ir.AttrInt, I: 0}
		}
		if m.maskFirst {
			attrs["mask_first"] = &ir.Attr{Name: "mask_first", Kind: ir.AttrInt, I: 1}
		}
	}
	for len(ins) > 3 && ins[len(ins)-1] == nil {
		ins = ins[:len(ins)-1]
	}
	fused := &ir.Node{Name: s.name(m.last.Name + "_attention"), Op: "FusedAttention", Domain: ir.FusedDomain, Opset: 1,
		Inputs: ins, Attrs: attrs}
	replaceNode(g, m.last, fused)
	dead := map[*ir.Node]bool{}
	for _, n := range m.dead {
		if n != m.last {
			dead[n] = true
		}
	}
	removeNodes(g, dead)
	useFusedDomain(g)
	return ir.InferNode(fused)
}

// twoMasks matches scores with two additive masks, Add(Add(S, M1), M2) in
// either operand order (a causal mask and a key-padding mask, as
// encoder-decoder exports add them), for the outer Add a. The fused node
// takes one mask, M1 + M2, which the rewrite computes by an Add node of
// its own: the sum broadcasts to the scores as each mask did, and adding
// the masks first rounds differently from adding them one by one only in
// the last place of the masked scores. It returns the scores and their
// user.
func (m *attnMatch) twoMasks(s *fuseState, a *ir.Node) (*ir.Value, *ir.Node, bool) {
	for i := range 2 {
		inner := soleProducer(s, a.Inputs[i], "Add", a)
		if inner == nil || !sameStaticShape(inner.Out(0).Type, a.Out(0).Type) {
			continue
		}
		for j := range 2 {
			if !scoresBelow(s, inner.Inputs[j], inner) {
				continue
			}
			m1, m2 := inner.Inputs[1-j], a.Inputs[1-i]
			if !isFloat32(m1) || !isFloat32(m2) {
				return nil, nil, false
			}
			m.masks = [2]*ir.Value{m1, m2}
			m.mask = &ir.Value{Name: s.name(a.Name + "_mask")}
			m.dead = append(m.dead, a, inner)
			return inner.Inputs[j], inner, true
		}
	}
	return nil, nil, false
}

// maskShape returns the static shape of the additive mask: of the summed
// masks when there are two (whose value the rewrite has yet to produce).
func (m *attnMatch) maskShape() ([]int64, bool) {
	if m.masks[0] == nil {
		ms, ok := staticShape(m.mask)
		return ms, ok && isFloat32(m.mask)
	}
	s0, ok0 := staticShape(m.masks[0])
	s1, ok1 := staticShape(m.masks[1])
	if !ok0 || !ok1 {
		return nil, false
	}
	ms, err := ir.BroadcastConcrete(s0, s1)
	return ms, err == nil
}
