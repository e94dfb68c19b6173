package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// The gradient graph of the Gradient kernel: the forward graph re-typed with
// concrete input shapes, followed by the reverse-mode derivative of y with
// respect to xs built from the per-op rules of gradRules. Every node added
// is type-inferred at once, so every value has a concrete shape and the
// rules can compute broadcast axes and reshape targets at build time.

// buildGradientGraph returns the gradient graph for forward graph body
// (inputs xs then zs, output y) at input types types, and per output
// whether it is a graph input or constant (and so must be copied out).
func buildGradientGraph(body *ir.Graph, types []ir.Type, nx int, opset int64, name string) (*ir.Graph, []bool, error) {
	if len(types) != len(body.Inputs) {
		return nil, nil, fmt.Errorf("%d input types for %d inputs", len(types), len(body.Inputs))
	}
	g := &ir.Graph{Name: name + "/gradient"}
	gb := &gradBuilder{g: g, prefix: name + "/d", opset: opset}
	m := map[*ir.Value]*ir.Value{}
	for i, v := range body.Inputs {
		nv := &ir.Value{Name: v.Name, Type: types[i]}
		g.Inputs = append(g.Inputs, nv)
		m[v] = nv
	}
	mapIn := func(v *ir.Value) (*ir.Value, error) {
		if nv, ok := m[v]; ok {
			return nv, nil
		}
		if v.Const == nil || v.Producer != nil {
			return nil, fmt.Errorf("forward graph reads %q before defining it", v.Name)
		}
		nv := &ir.Value{Name: v.Name, Type: ir.TypeOfTensor(v.Const), Const: v.Const}
		g.Constants = append(g.Constants, nv)
		m[v] = nv
		return nv, nil
	}
	for _, v := range body.Constants {
		if _, err := mapIn(v); err != nil {
			return nil, nil, err
		}
	}
	var fwd []*ir.Node
	for _, n := range body.Nodes {
		cn := &ir.Node{Name: n.Name, Op: n.Op, Domain: n.Domain, Opset: n.Opset, Attrs: n.Attrs}
		for _, in := range n.Inputs {
			if in == nil {
				cn.Inputs = append(cn.Inputs, nil)
				continue
			}
			nv, err := mapIn(in)
			if err != nil {
				return nil, nil, err
			}
			cn.Inputs = append(cn.Inputs, nv)
		}
		for _, o := range n.Outputs {
			var nv *ir.Value
			if o != nil {
				nv = &ir.Value{Name: o.Name}
				m[o] = nv
			}
			cn.Outputs = append(cn.Outputs, nv)
		}
		g.AddNode(cn)
		if err := ir.InferNode(cn); err != nil {
			return nil, nil, err
		}
		fwd = append(fwd, cn)
	}
	y, err := mapIn(body.Outputs[0])
	if err != nil {
		return nil, nil, err
	}
	if !isGradFloat(y.Type.DType) {
		return nil, nil, fmt.Errorf("y %q has dtype %v; only floating-point values can be differentiated", y.Name, y.Type.DType)
	}

	// active: float values that depend on some x.
	active := map[*ir.Value]bool{}
	for _, v := range g.Inputs[:nx] {
		active[v] = isGradFloat(v.Type.DType)
	}
	for _, n := range fwd {
		on := false
		for _, in := range n.Inputs {
			on = on || (in != nil && active[in])
		}
		for _, o := range n.Outputs {
			if o != nil {
				active[o] = on && isGradFloat(o.Type.DType)
			}
		}
	}

	grads := map[*ir.Value]*ir.Value{}
	ys := gb.shape(y)
	if gb.err != nil {
		return nil, nil, gb.err
	}
	grads[y] = gb.fill(y.Type.DType, ys, 1)
	for i := len(fwd) - 1; i >= 0; i-- {
		n := fwd[i]
		gy := grads[n.Outputs[0]]
		for j, o := range n.Outputs[1:] {
			if o != nil && grads[o] != nil {
				return nil, nil, fmt.Errorf("node %q (%s): differentiating through output %d is not supported", n.Name, n.Op, j+1)
			}
		}
		if gy == nil || !active[n.Outputs[0]] {
			continue
		}
		rule, ok := lookupGradRule(n)
		if !ok {
			return nil, nil, fmt.Errorf("cannot differentiate through node %q: op %s (domain %q) has no derivative rule", n.Name, n.Op, n.Domain)
		}
		din := rule(gb, n, gy)
		if gb.err != nil {
			return nil, nil, fmt.Errorf("derivative of node %q (%s): %w", n.Name, n.Op, gb.err)
		}
		for j, d := range din {
			in := n.In(j)
			if d == nil || in == nil || !active[in] {
				continue
			}
			if !sameShape(gb.shape(d), gb.shape(in)) || d.Type.DType != in.Type.DType {
				return nil, nil, fmt.Errorf("BUG: derivative of node %q (%s) for input %d is %v, want %v", n.Name, n.Op, j, d.Type, in.Type)
			}
			if prev := grads[in]; prev != nil {
				d = gb.op("Add", nil, prev, d)
			}
			grads[in] = d
		}
		if gb.err != nil {
			return nil, nil, gb.err
		}
	}

	copyOut := make([]bool, nx)
	for i, x := range g.Inputs[:nx] {
		d := grads[x]
		if d == nil {
			d = gb.fill(x.Type.DType, gb.shape(x), 0)
		}
		g.Outputs = append(g.Outputs, d)
		copyOut[i] = d.Producer == nil
	}
	if gb.err != nil {
		return nil, nil, gb.err
	}
	return g, copyOut, nil
}

func isGradFloat(dt ir.DType) bool {
	return dt == ir.Float32 || dt == ir.Float64 || dt == ir.Float16 || dt == ir.BFloat16
}

// gradBuilder appends type-inferred nodes and constants to a graph. The
// first error sticks: later calls do nothing and return a placeholder, so
// rules need not check after every step.
type gradBuilder struct {
	g      *ir.Graph
	prefix string
	opset  int64
	n      int
	err    error
}

func (gb *gradBuilder) fail(format string, args ...any) {
	if gb.err == nil {
		gb.err = fmt.Errorf(format, args...)
	}
}

func (gb *gradBuilder) name(what string) string {
	gb.n++
	return fmt.Sprintf("%s/%s_%d", gb.prefix, what, gb.n)
}

// op adds a one-output node of the default domain and returns its output.
func (gb *gradBuilder) op(op string, attrs ir.Attrs, ins ...*ir.Value) *ir.Value {
	out := &ir.Value{Name: gb.name(op)}
	if gb.err != nil {
		return out
	}
	if attrs == nil {
		attrs = ir.Attrs{}
	}
	n := &ir.Node{Name: out.Name, Op: op, Opset: gb.opset, Inputs: ins, Outputs: []*ir.Value{out}, Attrs: attrs}
	gb.g.AddNode(n)
	if err := ir.InferNode(n); err != nil {
		gb.err = err
	}
	return out
}

func (gb *gradBuilder) constant(t *ir.Tensor) *ir.Value {
	v := &ir.Value{Name: gb.name("const"), Type: ir.TypeOfTensor(t), Const: t}
	gb.g.Constants = append(gb.g.Constants, v)
	return v
}

// ints is a 1-D int64 constant.
func (gb *gradBuilder) ints(vals ...int64) *ir.Value {
	return gb.constant(ir.FromSlice(append([]int64{}, vals...), int64(len(vals))))
}

// fill is a constant of dtype dt and the given shape holding v everywhere.
func (gb *gradBuilder) fill(dt ir.DType, shape []int64, v float64) *ir.Value {
	t := ir.NewTensor(dt, shape)
	switch d := t.Data.(type) {
	case []float32:
		for i := range d {
			d[i] = float32(v)
		}
	case []float64:
		for i := range d {
			d[i] = v
		}
	case []ir.F16:
		for i := range d {
			d[i] = ir.NewFloat16(float32(v))
		}
	case []ir.BF16:
		for i := range d {
			d[i] = ir.NewBFloat16(float32(v))
		}
	default:
		if v != 0 {
			gb.fail("cannot make a %v constant holding %v", dt, v)
		}
	}
	return gb.constant(t)
}

// scalar is a rank-0 constant of like's dtype.
func (gb *gradBuilder) scalar(like *ir.Value, v float64) *ir.Value {
	return gb.fill(like.Type.DType, []int64{}, v)
}

// shape returns v's concrete shape (nil, with the error set, if unknown).
func (gb *gradBuilder) shape(v *ir.Value) []int64 {
	if gb.err != nil {
		return nil
	}
	if v.Type.Kind != ir.KindTensor || !v.Type.RankKnown {
		gb.fail("value %q has no known shape; Gradient needs concrete shapes", v.Name)
		return nil
	}
	s, ok := v.Type.Shape.Concrete()
	if !ok {
		gb.fail("value %q has shape %v; Gradient needs concrete shapes", v.Name, v.Type.Shape)
		return nil
	}
	return s
}

func (gb *gradBuilder) mul(a, b *ir.Value) *ir.Value { return gb.op("Mul", nil, a, b) }
func (gb *gradBuilder) div(a, b *ir.Value) *ir.Value { return gb.op("Div", nil, a, b) }
func (gb *gradBuilder) sub(a, b *ir.Value) *ir.Value { return gb.op("Sub", nil, a, b) }
func (gb *gradBuilder) neg(a *ir.Value) *ir.Value    { return gb.op("Neg", nil, a) }

// scale multiplies v by the constant s (nothing when s is 1).
func (gb *gradBuilder) scale(v *ir.Value, s float64) *ir.Value {
	if s == 1 {
		return v
	}
	return gb.mul(v, gb.scalar(v, s))
}

// reshape gives v the shape s (nothing when it has it already).
func (gb *gradBuilder) reshape(v *ir.Value, s []int64) *ir.Value {
	if gb.err != nil || sameShape(gb.shape(v), s) {
		return v
	}
	return gb.op("Reshape", nil, v, gb.ints(s...))
}

// reduceSum sums v over axes, keeping them as size 1.
func (gb *gradBuilder) reduceSum(v *ir.Value, axes []int64) *ir.Value {
	a := ir.Attrs{}
	a.SetInt("keepdims", 1)
	return gb.op("ReduceSum", a, v, gb.ints(axes...))
}

// sumTo undoes broadcasting: it sums d (shaped like a broadcast result)
// down to shape target, whose dims line up with d's from axis offset.
func (gb *gradBuilder) sumTo(d *ir.Value, target []int64, offset int) *ir.Value {
	ds := gb.shape(d)
	if gb.err != nil || sameShape(ds, target) {
		return d
	}
	var axes []int64
	for i, n := range ds {
		j := i - offset
		if j < 0 || j >= len(target) || (target[j] == 1 && n != 1) {
			axes = append(axes, int64(i))
		}
	}
	if len(axes) > 0 {
		d = gb.reduceSum(d, axes)
	}
	return gb.reshape(d, target)
}

// swapLast transposes the last two axes of v.
func (gb *gradBuilder) swapLast(v *ir.Value) *ir.Value {
	r := len(gb.shape(v))
	if gb.err != nil {
		return v
	}
	perm := make([]int64, r)
	for i := range perm {
		perm[i] = int64(i)
	}
	perm[r-2], perm[r-1] = perm[r-1], perm[r-2]
	a := ir.Attrs{}
	a.SetInts("perm", perm)
	return gb.op("Transpose", a, v)
}

// legacyAxis reports the alignment axis of input 1 of an opset < 7 binary
// op written with broadcast=1 (B lines up with A from that axis).
func legacyAxis(n *ir.Node, outRank, bRank int) (int, bool) {
	if n.Opset >= 7 || n.Attrs.Int("broadcast", 0) != 1 {
		return 0, false
	}
	if !n.Attrs.Has("axis") {
		return outRank - bRank, true
	}
	a := int(n.Attrs.Int("axis", 0))
	if a < 0 {
		a += outRank
	}
	return a, true
}

// arg returns input i of a broadcasting op in numpy-aligned form: for the
// legacy axis broadcast, B gets trailing 1s so numpy rules line it up.
func (gb *gradBuilder) arg(n *ir.Node, i int) *ir.Value {
	v := n.Inputs[i]
	if i != 1 {
		return v
	}
	out, vs := gb.shape(n.Outputs[0]), gb.shape(v)
	if gb.err != nil {
		return v
	}
	if a, ok := legacyAxis(n, len(out), len(vs)); ok && a+len(vs) < len(out) {
		s := append(append([]int64{}, vs...), make([]int64, len(out)-a-len(vs))...)
		for k := len(vs); k < len(s); k++ {
			s[k] = 1
		}
		return gb.reshape(v, s)
	}
	return v
}

// unb sums d (shaped like n's output) to the shape of n's input i.
func (gb *gradBuilder) unb(n *ir.Node, i int, d *ir.Value) *ir.Value {
	out, is := gb.shape(d), gb.shape(n.Inputs[i])
	if gb.err != nil {
		return d
	}
	off := len(out) - len(is)
	if i == 1 {
		if a, ok := legacyAxis(n, len(out), len(is)); ok {
			off = a
		}
	}
	return gb.sumTo(d, is, off)
}

// gradRule returns, per input of n, the derivative of y with respect to
// it (nil where not needed), given gy, the derivative with respect to
// n's first output.
type gradRule func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value

func lookupGradRule(n *ir.Node) (gradRule, bool) {
	if n.Domain != "" && n.Domain != "ai.onnx" {
		return nil, false
	}
	r, ok := gradRules[n.Op]
	return r, ok
}

// gradRules holds the derivative rule of each supported default-domain op.
var gradRules = map[string]gradRule{
	"Identity": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value { return []*ir.Value{gy} },
	"Add": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		return []*ir.Value{gb.unb(n, 0, gy), gb.unb(n, 1, gy)}
	},
	"Sub": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		return []*ir.Value{gb.unb(n, 0, gy), gb.unb(n, 1, gb.neg(gy))}
	},
	"Mul": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		a, b := gb.arg(n, 0), gb.arg(n, 1)
		return []*ir.Value{gb.unb(n, 0, gb.mul(gy, b)), gb.unb(n, 1, gb.mul(gy, a))}
	},
	"Div": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		b, y := gb.arg(n, 1), n.Outputs[0]
		return []*ir.Value{gb.unb(n, 0, gb.div(gy, b)), gb.unb(n, 1, gb.neg(gb.div(gb.mul(gy, y), b)))}
	},
	"Pow": gradPow,
	"Sum": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		out := make([]*ir.Value, len(n.Inputs))
		for i := range n.Inputs {
			out[i] = gb.unb(n, i, gy)
		}
		return out
	},
	"Mean": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		d := gb.scale(gy, 1/float64(len(n.Inputs)))
		out := make([]*ir.Value, len(n.Inputs))
		for i := range n.Inputs {
			out[i] = gb.unb(n, i, d)
		}
		return out
	},
	"Neg": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value { return []*ir.Value{gb.neg(gy)} },
	"Abs": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		return []*ir.Value{gb.mul(gy, gb.op("Sign", nil, n.Inputs[0]))}
	},
	"Relu": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		x := n.Inputs[0]
		pos := gb.op("Greater", nil, x, gb.scalar(x, 0))
		return []*ir.Value{gb.op("Where", nil, pos, gy, gb.scalar(gy, 0))}
	},
	"LeakyRelu": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		x := n.Inputs[0]
		pos := gb.op("Greater", nil, x, gb.scalar(x, 0))
		alpha := float64(n.Attrs.Float("alpha", 0.01))
		return []*ir.Value{gb.op("Where", nil, pos, gy, gb.scale(gy, alpha))}
	},
	"Sigmoid": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		y := n.Outputs[0] // y(1-y)
		return []*ir.Value{gb.mul(gy, gb.mul(y, gb.sub(gb.scalar(y, 1), y)))}
	},
	"Tanh": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		y := n.Outputs[0] // 1-y²
		return []*ir.Value{gb.mul(gy, gb.sub(gb.scalar(y, 1), gb.mul(y, y)))}
	},
	"Exp": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		return []*ir.Value{gb.mul(gy, n.Outputs[0])}
	},
	"Log": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		return []*ir.Value{gb.div(gy, n.Inputs[0])}
	},
	"Sqrt": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		y := n.Outputs[0] // 1/(2y)
		return []*ir.Value{gb.div(gy, gb.scale(y, 2))}
	},
	"Reciprocal": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		y := n.Outputs[0] // -y²
		return []*ir.Value{gb.neg(gb.mul(gy, gb.mul(y, y)))}
	},
	"Cast": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		a := ir.Attrs{}
		a.SetInt("to", int64(n.Inputs[0].Type.DType))
		return []*ir.Value{gb.op("Cast", a, gy)}
	},
	"Reshape":   gradReshape,
	"Flatten":   gradReshape,
	"Squeeze":   gradReshape,
	"Unsqueeze": gradReshape,
	"Expand": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		return []*ir.Value{gb.unb(n, 0, gy)}
	},
	"Transpose": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		r := len(gb.shape(gy))
		perm := n.Attrs.Ints("perm", nil)
		if perm == nil {
			for i := r - 1; i >= 0; i-- {
				perm = append(perm, int64(i))
			}
		}
		if len(perm) != r {
			gb.fail("perm %v for rank %d", perm, r)
			return nil
		}
		inv := make([]int64, r)
		for i, p := range perm {
			if p < 0 || int(p) >= r {
				gb.fail("perm %v for rank %d", perm, r)
				return nil
			}
			inv[p] = int64(i)
		}
		a := ir.Attrs{}
		a.SetInts("perm", inv)
		return []*ir.Value{gb.op("Transpose", a, gy)}
	},
	"Concat": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		r := len(gb.shape(gy))
		axis, err := ir.NormAxis(n.Attrs.Int("axis", 0), r)
		if err != nil {
			gb.fail("%v", err)
			return nil
		}
		out := make([]*ir.Value, len(n.Inputs))
		off := int64(0)
		for i, in := range n.Inputs {
			s := gb.shape(in)
			if gb.err != nil {
				return nil
			}
			out[i] = gb.op("Slice", nil, gy, gb.ints(off), gb.ints(off+s[axis]), gb.ints(int64(axis)))
			off += s[axis]
		}
		return out
	},
	"ReduceSum":  gradReduce,
	"ReduceMean": gradReduce,
	"Softmax": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		y := n.Outputs[0] // y·(gy − Σ gy·y)
		s := gb.reduceSum(gb.mul(gy, y), softmaxAxes(gb, n))
		return []*ir.Value{gb.mul(y, gb.sub(gy, s))}
	},
	"LogSoftmax": func(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
		y := n.Outputs[0] // gy − exp(y)·Σ gy
		s := gb.reduceSum(gy, softmaxAxes(gb, n))
		return []*ir.Value{gb.sub(gy, gb.mul(gb.op("Exp", nil, y), s))}
	},
	"MatMul": gradMatMul,
	"Gemm":   gradGemm,
}

func gradReshape(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
	return []*ir.Value{gb.reshape(gy, gb.shape(n.Inputs[0]))}
}

// gradPow: d(a^b)/da = b·a^(b−1), d(a^b)/db = a^b·ln a.
func gradPow(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
	a, b, y := n.Inputs[0], gb.arg(n, 1), n.Outputs[0]
	if b.Type.DType != a.Type.DType {
		c := ir.Attrs{}
		c.SetInt("to", int64(a.Type.DType))
		b = gb.op("Cast", c, b)
	}
	da := gb.mul(gy, gb.mul(b, gb.op("Pow", nil, a, gb.sub(b, gb.scalar(b, 1)))))
	out := []*ir.Value{gb.unb(n, 0, da), nil}
	if isGradFloat(n.Inputs[1].Type.DType) {
		out[1] = gb.unb(n, 1, gb.mul(gy, gb.mul(y, gb.op("Log", nil, a))))
	}
	return out
}

// softmaxAxes: the axis (opset ≥ 13) or all axes from it (the 2-D
// coercion of older opsets) that (Log)Softmax normalises over.
func softmaxAxes(gb *gradBuilder, n *ir.Node) []int64 {
	r := len(gb.shape(n.Outputs[0]))
	def := int64(-1)
	if n.Opset < 13 {
		def = 1
	}
	axis, err := ir.NormAxis(n.Attrs.Int("axis", def), r)
	if err != nil {
		gb.fail("%v", err)
		return nil
	}
	if n.Opset >= 13 {
		return []int64{int64(axis)}
	}
	var axes []int64
	for i := axis; i < r; i++ {
		axes = append(axes, int64(i))
	}
	return axes
}

// gradReduce: ReduceSum/ReduceMean spread gy back over the reduced axes.
func gradReduce(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
	xs := gb.shape(n.Inputs[0])
	if gb.err != nil {
		return nil
	}
	var axes []int64
	if (n.Op == "ReduceSum" && n.Opset >= 13) || (n.Op == "ReduceMean" && n.Opset >= 18) {
		if v := n.In(1); v != nil {
			if v.Const == nil {
				gb.fail("axes must be a constant")
				return nil
			}
			var err error
			if axes, err = v.Const.Int64s(); err != nil {
				gb.fail("axes: %v", err)
				return nil
			}
		}
	} else {
		axes = n.Attrs.Ints("axes", nil)
	}
	if len(axes) == 0 {
		if n.Attrs.Int("noop_with_empty_axes", 0) == 1 {
			return []*ir.Value{gy}
		}
		for i := range xs {
			axes = append(axes, int64(i))
		}
	}
	keep := append([]int64{}, xs...)
	count := 1.0
	for _, a := range axes {
		k, err := ir.NormAxis(a, len(xs))
		if err != nil {
			gb.fail("%v", err)
			return nil
		}
		if keep[k] != 1 || xs[k] == 1 {
			count *= float64(xs[k])
		}
		keep[k] = 1
	}
	d := gb.op("Expand", nil, gb.reshape(gy, keep), gb.ints(xs...))
	if n.Op == "ReduceMean" {
		d = gb.scale(d, 1/count)
	}
	return []*ir.Value{d}
}

// gradMatMul: with 1-D operands promoted to matrices, dA = gy·Bᵀ and
// dB = Aᵀ·gy, each summed over broadcast batch axes.
func gradMatMul(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
	a, b := n.Inputs[0], n.Inputs[1]
	as, bs := gb.shape(a), gb.shape(b)
	if gb.err != nil {
		return nil
	}
	a2, b2 := a, b
	as2, bs2 := as, bs
	if len(as) == 1 {
		as2 = []int64{1, as[0]}
		a2 = gb.reshape(a, as2)
	}
	if len(bs) == 1 {
		bs2 = []int64{bs[0], 1}
		b2 = gb.reshape(b, bs2)
	}
	batch, err := ir.BroadcastConcrete(as2[:len(as2)-2], bs2[:len(bs2)-2])
	if err != nil {
		gb.fail("%v", err)
		return nil
	}
	g2 := gb.reshape(gy, append(batch, as2[len(as2)-2], bs2[len(bs2)-1]))
	da := gb.op("MatMul", nil, g2, gb.swapLast(b2))
	db := gb.op("MatMul", nil, gb.swapLast(a2), g2)
	da = gb.reshape(gb.sumTo(da, as2, len(gb.shape(da))-len(as2)), as)
	db = gb.reshape(gb.sumTo(db, bs2, len(gb.shape(db))-len(bs2)), bs)
	return []*ir.Value{da, db}
}

// gradGemm: Y = alpha·A'·B' + beta·C with A' = transA ? Aᵀ : A (B' alike).
func gradGemm(gb *gradBuilder, n *ir.Node, gy *ir.Value) []*ir.Value {
	a, b := n.Inputs[0], n.Inputs[1]
	alpha := float64(n.Attrs.Float("alpha", 1))
	beta := float64(n.Attrs.Float("beta", 1))
	transA, transB := n.Attrs.Int("transA", 0) != 0, n.Attrs.Int("transB", 0) != 0
	if len(gb.shape(a)) != 2 || len(gb.shape(b)) != 2 {
		gb.fail("Gemm operands must be matrices")
		return nil
	}
	bt := b // B'ᵀ
	if !transB {
		bt = gb.swapLast(b)
	}
	da := gb.op("MatMul", nil, gy, bt)
	if transA {
		da = gb.swapLast(da)
	}
	at := a // A'ᵀ
	if !transA {
		at = gb.swapLast(a)
	}
	db := gb.op("MatMul", nil, at, gy)
	if transB {
		db = gb.swapLast(db)
	}
	out := []*ir.Value{gb.scale(da, alpha), gb.scale(db, alpha), nil}
	if c := n.In(2); c != nil {
		cs := gb.shape(c)
		out[2] = gb.sumTo(gb.scale(gy, beta), cs, 2-len(cs))
	}
	return out
}
