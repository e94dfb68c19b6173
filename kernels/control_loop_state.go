package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// loopState is what a Loop step keeps between Runs (Ctx.state) when its
// body is a runtime plan (SubgraphVisitor): the body's input list, the
// iteration number and condition tensors handed to the body, two buffers
// per loop-carried tensor used in turn (the body reads one while the next
// value is copied into the other), and one growing buffer per scan
// output. The body's outputs are copied out of its frame as they are
// taken (TakeOutputs), so a Run whose shapes repeat allocates nothing.
type loopState struct {
	l      *loopKernel
	bodyIn []*ir.Tensor
	outs   []*ir.Tensor
	iter   *ir.Tensor // int64 scalar: the iteration number
	condIn *ir.Tensor // bool scalar: the condition
	carry  [2][]*ir.Tensor
	scans  []loopScan
	// Per Run.
	useCond, cond bool
	total, limit  int64 // elements stacked in scan outputs; the most allowed
	iterNo        int64
}

// loopScan stacks one scan output's elements.
type loopScan struct {
	dt    ir.DType
	elem  []int64 // element shape (of the first iteration)
	data  any     // storage holding count elements of elem's size, and room
	count int
	shape []int64 // the stacked output's shape
}

// loopStateOf returns c's loop state, made on the first Run.
func (l *loopKernel) loopStateOf(c *Ctx) *loopState {
	if st, ok := c.state.(*loopState); ok && st.l == l {
		return st
	}
	st := &loopState{l: l, bodyIn: make([]*ir.Tensor, 2+l.n), outs: make([]*ir.Tensor, 1+l.n+l.k),
		iter: ir.Scalar(int64(0)), condIn: ir.Scalar(true), scans: make([]loopScan, l.k)}
	st.carry[0] = make([]*ir.Tensor, l.n)
	st.carry[1] = make([]*ir.Tensor, l.n)
	c.state = st
	return st
}

// runVisit is the Loop's iteration for a body that lends its outputs
// (v.RunVisit): in holds the step's inputs, trip and cond as read.
func (l *loopKernel) runVisit(c *Ctx, v SubgraphVisitor, in []*ir.Tensor, trip int64, cond, useCond bool) error {
	st := l.loopStateOf(c)
	copy(st.bodyIn[2:], in[2:])
	st.useCond, st.cond, st.total, st.limit = useCond, cond, 0, cfLimit(c)
	for j := range st.scans {
		st.scans[j].count = 0
	}
	defer clear(st.bodyIn) // hold no value of this Run while waiting for the next
	for i := int64(0); st.cond && (trip < 0 || i < trip); i++ {
		if limit := c.LoopLimit(); i >= limit {
			return c.Errorf("loop ran past the limit of %d iterations (MaxLoopIterations)", limit)
		}
		st.iter.Data.([]int64)[0] = i
		st.condIn.Data.([]bool)[0] = st.cond
		st.bodyIn[0], st.bodyIn[1] = st.iter, st.condIn
		st.iterNo = i
		if err := v.RunVisit(c, st.bodyIn, st.outs, st); err != nil {
			return cfErr(c, "body", err)
		}
	}
	for j := 0; j < l.n && j < c.NumOutputs(); j++ {
		x := st.bodyIn[2+j]
		if x.Kind != ir.KindTensor || x == in[2+j] {
			c.SetOutput(j, x) // a sequence or optional, or the initial value
			continue
		}
		// The carried buffers are the loop's own: the step's output is a
		// copy in storage the frame knows (planned or kept).
		o, err := c.OutputUninit(j, x.DType, x.Shape)
		if err != nil {
			return err
		}
		if !ir.CopyData(o, x) {
			c.SetOutput(j, x.Clone())
		}
	}
	for j := 0; j < l.k && l.n+j < c.NumOutputs(); j++ {
		if err := st.scans[j].emit(c, l, l.n+j, j); err != nil {
			return err
		}
	}
	return nil
}

// TakeOutputs implements OutputTaker for one iteration: it reads the
// condition, copies the carried tensors into the buffers the next
// iteration reads and appends the scan elements.
func (st *loopState) TakeOutputs(outs []*ir.Tensor) error {
	l, i := st.l, st.iterNo
	for j, o := range outs {
		if o == nil {
			return fmt.Errorf("body yielded no value for output %d", j)
		}
	}
	if st.useCond {
		var err error
		if st.cond, err = cfBool(outs[0], "body condition output"); err != nil {
			return fmt.Errorf("iteration %d: %v", i, err)
		}
	}
	for j := 0; j < l.n; j++ {
		v, cur := outs[1+j], st.bodyIn[2+j]
		if v == cur {
			continue
		}
		if v.Kind != ir.KindTensor {
			st.bodyIn[2+j] = v
			continue
		}
		st.bodyIn[2+j] = carryInto(&st.carry, j, cur, v)
	}
	for j, e := range outs[1+l.n:] {
		if e.Kind != ir.KindTensor {
			return fmt.Errorf("iteration %d: scan output %d must be a tensor, got a %v", i, j, e.Kind)
		}
		s := &st.scans[j]
		if s.count > 0 && (s.dt != e.DType || !sameShape(s.elem, e.Shape)) {
			return fmt.Errorf("iteration %d: scan output %d changed from %v%v to %v%v", i, j, s.dt, s.elem, e.DType, e.Shape)
		}
		st.total += int64(e.Len())
		if st.total > st.limit {
			return fmt.Errorf("scan outputs exceed the limit of %d elements", st.limit)
		}
		s.add(e)
	}
	return nil
}

// add appends scan element e, growing the storage when it is full.
func (s *loopScan) add(e *ir.Tensor) {
	m := e.Len()
	if s.count == 0 {
		if s.dt != e.DType {
			s.data = nil // the storage of another dtype
		}
		s.dt, s.elem = e.DType, setDims(s.elem, e.Shape)
	}
	need := (s.count + 1) * m
	if have := dataLen(s.data); s.data == nil || have < need {
		grown := ir.MakeSlice(e.DType, max(need, 2*have))
		cfCopyBlocks(grown, s.data, cfBlock{count: 1, n: s.count * m})
		s.data = grown
	}
	if !cfCopyBlocks(s.data, e.Data, cfBlock{count: 1, n: m, d0: s.count * m}) {
		panic(fmt.Sprintf("BUG: scan element storage %T does not match %T", e.Data, s.data))
	}
	s.count++
}

// emit makes step output o (scan output j) from the stacked elements.
func (s *loopScan) emit(c *Ctx, l *loopKernel, o, j int) error {
	if s.count == 0 {
		return l.stack(c, o, j, nil) // no iteration ran: the static types say
	}
	s.shape = append(append(s.shape[:0], int64(s.count)), s.elem...)
	out, err := c.OutputUninit(o, s.dt, s.shape)
	if err != nil {
		return err
	}
	if !cfCopyBlocks(out.Data, s.data, cfBlock{count: 1, n: s.count * ir.NumElements(s.elem)}) {
		return fmt.Errorf("BUG: node %q: scan storage %T does not match %T", l.node.Name, s.data, out.Data)
	}
	return nil
}

// carryInto copies the body's new value v of carried tensor j into the one
// of j's two buffers that does not hold cur (the value the body just read)
// and returns that buffer, made or resized when v's dtype or size changed.
func carryInto(carry *[2][]*ir.Tensor, j int, cur, v *ir.Tensor) *ir.Tensor {
	b := 0
	if carry[0][j] == cur {
		b = 1
	}
	d := carry[b][j]
	if d == nil || d.DType != v.DType || dataLen(d.Data) != v.Len() {
		d = ir.NewTensor(v.DType, v.Shape)
		carry[b][j] = d
	} else {
		d.Shape = setDims(d.Shape, v.Shape)
	}
	if !ir.CopyData(d, v) {
		d = v.Clone() // a storage CopyData does not move (strings)
		carry[b][j] = d
	}
	return d
}
