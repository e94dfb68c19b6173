package kernels

import (
	"math"
	"sync/atomic"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/vecmath"
)

// nncc.FusedElementwise: a chain or tree of float32 elementwise ops (see
// ir/ops_elementwise_fused.go) evaluated in one pass over memory. The
// output is cut into chunks of fewChunk elements; each instruction runs
// over a chunk with the same routine its unfused kernel uses (the vecmath
// routines of the session's level, the float64 formulas otherwise), so its
// intermediate results stay in L1 instead of making a round trip through
// memory per op. Inputs of the output's shape are read in place, one-
// element inputs are scalar operands, and other broadcast inputs (a bias
// per channel or per row) are expanded chunk by chunk.

func init() { Register(ir.FusedDomain, "FusedElementwise", buildFusedElementwise) }

// fewChunk is the number of elements evaluated per instruction at a time:
// a few instructions' results of this size fit in L1.
const fewChunk = 1024

// fewBinaryOps maps the binary instructions to their codes, which are
// also vecmath's Op values (see vecmath.Kind).
var fewBinaryOps = map[string]uint8{"Add": ewAdd, "Sub": ewSub, "Mul": ewMul, "Div": ewDiv, "Max": ewMax, "Min": ewMin}

// fewInstr is one decoded instruction.
type fewInstr struct {
	unary  bool
	uop    ewUOp
	up     ewUParams
	clip   bool
	lo, hi float32 // Clip bounds
	bop    vecmath.Op
	a, b   int // operand references (b < 0 for unary)
}

type fusedEw struct {
	nin  int
	prog []fewInstr
	vec  *vecmath.Routines
	plan atomic.Pointer[fewPlan]
	jobs recycle.Pool // *fewJob
}

// fewPlan is the layout of the inputs for one combination of their
// shapes; immutable once stored.
type fewPlan struct {
	shapes [][]int64
	out    []int64
	size   int
	form   []fewForm
	bc     []*Broadcast // per input, for fewBroadcast
	nbuf   int          // chunk buffers per part
	slot   []int        // per reference: buffer index, -1 when none
}

type fewForm uint8

const (
	fewFull      fewForm = iota // the output's shape: read in place
	fewScalar                   // one element
	fewBroadcast                // expanded per chunk through bc
)

// ElementwiseInstr reports whether node n can become an instruction of
// nncc.FusedElementwise, and returns the instruction's name and
// parameters and how many of n's leading inputs are its operands (the
// rest are constant parameters, such as Clip's bounds). It is what the
// fuse-elementwise pass asks; the parameters come from the same attribute
// parsing as the unfused kernel's.
func ElementwiseInstr(n *ir.Node) (name string, params [ir.FusedElementwiseParams]float32, operands int, ok bool) {
	if n.Domain != "" || len(n.Outputs) != 1 {
		return "", params, 0, false
	}
	b := &Build{Node: n}
	switch n.Op {
	case "Add", "Sub", "Mul", "Div":
		if len(n.Inputs) != 2 || n.Opset < 7 {
			return "", params, 0, false
		}
		return n.Op, params, 2, true
	case "Clip":
		lo, hi, ok := fewClipBounds(n)
		if !ok {
			return "", params, 0, false
		}
		params[0], params[1] = lo, hi
		return "Clip", params, 1, true
	}
	row, ok := ewUnaryRows[n.Op]
	if !ok {
		row, ok = ewActRows[n.Op]
	}
	if !ok || !row.floats || len(n.Inputs) != 1 {
		return "", params, 0, false
	}
	var p ewUParams
	if row.parse != nil && row.parse(b, &p) != nil {
		return "", params, 0, false
	}
	name = n.Op
	if p.tanh {
		name = "GeluTanh"
	}
	params = [3]float32{float32(p.alpha), float32(p.beta), float32(p.gamma)}
	if float64(params[0]) != p.alpha || float64(params[1]) != p.beta || float64(params[2]) != p.gamma {
		return "", params, 0, false // not representable exactly
	}
	return name, params, 1, true
}

// fewClipBounds returns the float32 bounds of a Clip whose bounds are
// attributes (opset < 11) or absent or constant scalar inputs.
func fewClipBounds(n *ir.Node) (lo, hi float32, ok bool) {
	l, h := math.Inf(-1), math.Inf(1)
	if n.Opset > 0 && n.Opset < 11 {
		if n.Opset >= 6 {
			l, h = -3.402823e+38, 3.402823e+38
		}
		if n.Attrs.Has("min") {
			l = float64(n.Attrs.Float("min", 0))
		}
		if n.Attrs.Has("max") {
			h = float64(n.Attrs.Float("max", 0))
		}
		return float32(l), float32(h), len(n.Inputs) == 1
	}
	if n.Attrs.Has("min") || n.Attrs.Has("max") {
		return 0, 0, false
	}
	bounds := [2]float64{l, h}
	for i := 1; i < len(n.Inputs); i++ {
		v := n.Inputs[i]
		if v == nil {
			continue
		}
		if v.Const == nil || v.Const.DType != ir.Float32 || v.Const.Len() != 1 || i > 2 {
			return 0, 0, false
		}
		bounds[i-1] = float64(v.Const.F32()[0])
	}
	return float32(bounds[0]), float32(bounds[1]), true
}

func buildFusedElementwise(b *Build) (Func, error) {
	nin := len(b.Node.Inputs)
	a := b.Attrs()
	if err := ir.CheckFusedElementwise(a, nin); err != nil {
		return nil, b.Errorf("%v", err)
	}
	if err := fusedF32Build(b, nin, "FusedElementwise"); err != nil {
		return nil, err
	}
	ops, args, params := a.Strings("ops", nil), a.Ints("args", nil), a.Floats("params", nil)
	f := &fusedEw{nin: nin, vec: b.Vec()}
	for i, op := range ops {
		in := fewInstr{a: int(args[2*i]), b: int(args[2*i+1])}
		p := params[3*i : 3*i+3]
		switch op {
		case "Add", "Sub", "Mul", "Div", "Max", "Min":
			in.bop = vecmath.Op(fewBinaryOps[op])
		case "Clip":
			in.unary, in.clip, in.lo, in.hi = true, true, p[0], p[1]
		default:
			name := op
			if op == "GeluTanh" {
				name = "Gelu"
				in.up.tanh = true
			}
			row, ok := ewUnaryRows[name]
			if !ok {
				row, ok = ewActRows[name]
			}
			if !ok || !row.floats {
				return nil, b.Errorf("op %d: %q has no float32 kernel", i, op)
			}
			in.unary, in.uop = true, row.op
			in.up.alpha, in.up.beta, in.up.gamma = float64(p[0]), float64(p[1]), float64(p[2])
			in.up.vec = f.vec
		}
		f.prog = append(f.prog, in)
	}
	f.jobs.New = func() any { j := &fewJob{}; j.fn = j.run; return j }
	return f.run, nil
}

// planFor returns the layout for the inputs' shapes, reusing the last one.
func (f *fusedEw) planFor(c *Ctx, in []*ir.Tensor) (*fewPlan, error) {
	if p := f.plan.Load(); p != nil && len(p.shapes) == len(in) {
		same := true
		for i, t := range in {
			if !sameShape(p.shapes[i], t.Shape) {
				same = false
				break
			}
		}
		if same {
			return p, nil
		}
	}
	p := &fewPlan{}
	for _, t := range in {
		p.shapes = append(p.shapes, append([]int64{}, t.Shape...))
	}
	out, err := ir.BroadcastConcrete(p.shapes...)
	if err != nil {
		return nil, c.Errorf("%v", err)
	}
	p.out, p.size = out, ir.NumElements(out)
	p.form = make([]fewForm, len(in))
	p.bc = make([]*Broadcast, len(in))
	p.slot = make([]int, len(in)+len(f.prog))
	for i := range p.slot {
		p.slot[i] = -1
	}
	for i, s := range p.shapes {
		switch {
		case sameShape(s, out):
			p.form[i] = fewFull
		case ir.NumElements(s) == 1:
			p.form[i] = fewScalar
		default:
			bc, err := NewBroadcastTo(out, s)
			if err != nil {
				return nil, c.Errorf("input %d: %v", i, err)
			}
			p.form[i], p.bc[i] = fewBroadcast, bc
			p.slot[i] = p.nbuf
			p.nbuf++
		}
	}
	for k := range len(f.prog) - 1 { // the last instruction writes the output
		p.slot[len(in)+k] = p.nbuf
		p.nbuf++
	}
	f.plan.Store(p)
	return p, nil
}

func (f *fusedEw) run(c *Ctx, in []*ir.Tensor) error {
	if len(in) != f.nin {
		return c.Errorf("expected %d inputs, got %d", f.nin, len(in))
	}
	for i, t := range in {
		if t == nil {
			return c.Errorf("input %d is missing", i)
		}
		if t.DType != ir.Float32 {
			return c.Errorf("input %d has dtype %v; FusedElementwise computes in float32 only", i, t.DType)
		}
	}
	p, err := f.planFor(c, in)
	if err != nil {
		return err
	}
	out, err := c.OutputUninit(0, ir.Float32, p.out)
	if err != nil {
		return err
	}
	n := p.size
	if n == 0 {
		return nil
	}
	parts := 1
	if c.Pool != nil && c.Pool.Threads() > 1 && n >= 2*ewGrain {
		parts = min(c.Pool.Threads(), n/ewGrain)
	}
	nref := f.nin + len(f.prog)
	j := f.jobs.Get().(*fewJob)
	j.f, j.p, j.in, j.out = f, p, in, out.F32()
	j.per = (n + parts - 1) / parts
	j.buf = c.ScratchF32(parts * max(p.nbuf, 1) * fewChunk)
	if cap(j.vals) < parts*nref {
		j.vals = make([][]float32, parts*nref)
	}
	j.vals = j.vals[:parts*nref]
	if parts == 1 {
		j.run(0, 1)
	} else {
		c.Pool.For(parts, 1, j.fn)
	}
	clear(j.vals)
	j.f, j.p, j.in, j.out, j.buf = nil, nil, nil, nil, nil
	f.jobs.Put(j)
	return nil
}

// fewJob is one Run's evaluation, recycled so that Runs allocate nothing
// (fn is its run method, bound once).
type fewJob struct {
	f    *fusedEw
	p    *fewPlan
	in   []*ir.Tensor
	out  []float32
	per  int         // elements per part
	buf  []float32   // chunk buffers, nbuf·fewChunk per part
	vals [][]float32 // operand views, one row of references per part
	fn   func(lo, hi int)
}

// run evaluates parts [lo, hi).
func (j *fewJob) run(lo, hi int) {
	p, f := j.p, j.f
	nref := f.nin + len(f.prog)
	stride := max(p.nbuf, 1) * fewChunk
	for part := lo; part < hi; part++ {
		buf := j.buf[part*stride : (part+1)*stride]
		vals := j.vals[part*nref : (part+1)*nref]
		end := min((part+1)*j.per, p.size)
		for s := part * j.per; s < end; s += fewChunk {
			j.chunk(s, min(s+fewChunk, end), buf, vals)
		}
	}
}

// chunk evaluates output elements [lo, hi).
func (j *fewJob) chunk(lo, hi int, buf []float32, vals [][]float32) {
	p, f := j.p, j.f
	m := hi - lo
	for i, t := range j.in {
		x := t.F32()
		switch p.form[i] {
		case fewFull:
			vals[i] = x[lo:hi]
		case fewScalar:
			vals[i] = x[:1]
		case fewBroadcast:
			d := buf[p.slot[i]*fewChunk:][:m]
			fewExpand(p.bc[i], x, d, lo, hi)
			vals[i] = d
		}
	}
	last := len(f.prog) - 1
	for k := range f.prog {
		ins := &f.prog[k]
		var dst []float32
		if k == last {
			dst = j.out[lo:hi]
		} else {
			dst = buf[p.slot[f.nin+k]*fewChunk:][:m]
		}
		a := vals[ins.a]
		if ins.unary {
			if len(a) == 1 && m > 1 {
				fewUnary(ins, a, dst[:1])
				fewFill(dst)
			} else {
				fewUnary(ins, a, dst)
			}
		} else {
			b := vals[ins.b]
			switch {
			case len(a) == 1 && len(b) == 1 && m > 1:
				f.vec.Binary(ins.bop, dst[:1], a, b)
				fewFill(dst)
			case len(b) == 1 && m > 1:
				f.vec.BinaryScalar(ins.bop, dst, a, b[0])
			case len(a) == 1 && m > 1:
				f.vec.ScalarBinary(ins.bop, dst, a[0], b)
			default:
				f.vec.Binary(ins.bop, dst, a, b)
			}
		}
		vals[f.nin+k] = dst
	}
}

// fewUnary applies a unary instruction: y = op(x).
func fewUnary(ins *fewInstr, x, y []float32) {
	if ins.clip {
		ewClipLoop(x, y, ins.lo, ins.hi)
		return
	}
	ewUnaryF32(ins.uop, &ins.up, x, y)
}

// fewFill repeats d[0] over d.
func fewFill(d []float32) {
	v := d[0]
	for i := range d {
		d[i] = v
	}
}

// fewExpand writes the elements [lo, hi) of the broadcast bc of src (its
// only input) into dst.
func fewExpand(bc *Broadcast, src, dst []float32, lo, hi int) {
	nd := len(bc.dims)
	var idxBuf [8]int
	var idx []int
	if nd <= len(idxBuf) {
		idx = idxBuf[:nd]
	} else {
		idx = make([]int, nd)
	}
	st := bc.strides[0]
	off, rem := 0, lo
	for k := nd - 1; k >= 0; k-- {
		idx[k] = rem % bc.dims[k]
		rem /= bc.dims[k]
		off += idx[k] * st[k]
	}
	last := nd - 1
	inner := bc.dims[last]
	for o := lo; o < hi; {
		m := min(inner-idx[last], hi-o)
		d := dst[o-lo : o-lo+m]
		if st[last] == 1 {
			copy(d, src[off:off+m])
		} else {
			v := src[off]
			for i := range d {
				d[i] = v
			}
		}
		o += m
		if o >= hi {
			return
		}
		off += m * st[last]
		idx[last] += m
		for k := last; k > 0 && idx[k] == bc.dims[k]; k-- {
			idx[k] = 0
			idx[k-1]++
			off += st[k-1] - bc.dims[k]*st[k]
		}
	}
}
