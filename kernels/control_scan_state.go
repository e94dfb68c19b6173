package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// scanState is what a Scan step (opset 9 and later) keeps between Runs
// (Ctx.state) when its body is a runtime plan (SubgraphVisitor), as
// loopState is for Loop: the body's input and output lists, one buffer
// per scan input holding the current iteration's slice, two buffers per
// state used in turn, and the scan outputs' shapes. The body's outputs
// are taken while its frame is held (TakeOutputs): states are copied into
// the buffers the next iteration reads, scan elements straight into the
// step's outputs, so a Run whose shapes repeat allocates nothing.
type scanState struct {
	s      *scanKernel
	bodyIn []*ir.Tensor // states..., scan input slices...
	outs   []*ir.Tensor
	elems  []*ir.Tensor // per scan input: the slice of the current iteration
	carry  [2][]*ir.Tensor
	dst    []*ir.Tensor // per scan output: the step's output (Data nil when omitted)
	omit   []*ir.Tensor // per scan output: the shape-only stand-in for an omitted output
	shapes [][]int64    // per scan output: its stacked shape
	axes   []int        // per scan input: the sliced axis
	oaxes  []int        // per scan output: the stacking axis
	// Per Run.
	c      *Ctx
	init   []*ir.Tensor // the step's inputs
	seqLen int
	t      int // the iteration running
}

// scanStateOf returns c's scan state, made on the first Run.
func (s *scanKernel) scanStateOf(c *Ctx) *scanState {
	if st, ok := c.state.(*scanState); ok && st.s == s {
		return st
	}
	l := s.l
	st := &scanState{s: s, bodyIn: make([]*ir.Tensor, l.N+l.M), outs: make([]*ir.Tensor, l.N+l.K),
		elems: make([]*ir.Tensor, l.M), dst: make([]*ir.Tensor, l.K), omit: make([]*ir.Tensor, l.K),
		shapes: make([][]int64, l.K), axes: make([]int, l.M), oaxes: make([]int, l.K)}
	st.carry[0] = make([]*ir.Tensor, l.N)
	st.carry[1] = make([]*ir.Tensor, l.N)
	c.state = st
	return st
}

// runVisit is Scan (opset 9 and later) for a body that lends its outputs
// (v.RunVisit).
func (s *scanKernel) runVisit(c *Ctx, v SubgraphVisitor, in []*ir.Tensor) error {
	l := s.l
	st := s.scanStateOf(c)
	st.c, st.init, st.seqLen = c, in, -1
	defer st.release()
	copy(st.bodyIn, in[:l.N])
	clear(st.dst)
	for j, x := range in[l.N : l.N+l.M] {
		a, err := ir.NormAxis(s.inAxes[j], x.Rank())
		if err != nil {
			return c.Errorf("scan_input_axes[%d]: %v", j, err)
		}
		st.axes[j] = a
		if d := int(x.Shape[a]); st.seqLen < 0 {
			st.seqLen = d
		} else if d != st.seqLen {
			return c.Errorf("scan input %d has %d steps along axis %d, scan input 0 has %d", j, d, a, st.seqLen)
		}
		st.elems[j] = takeInto(st.elems[j], x, a)
	}
	for t := 0; t < st.seqLen; t++ {
		st.t = t
		for j, x := range in[l.N : l.N+l.M] {
			p := t
			if s.inDirs[j] == 1 {
				p = st.seqLen - 1 - t
			}
			a, e := st.axes[j], st.elems[j]
			outer, inner, n := cfProd(x.Shape[:a]), cfProd(x.Shape[a+1:]), int(x.Shape[a])
			cfCopyBlocks(e.Data, x.Data, cfBlock{count: outer, n: inner, ds: inner, s0: p * inner, ss: n * inner})
			st.bodyIn[l.N+j] = e
		}
		if err := v.RunVisit(c, st.bodyIn, st.outs, st); err != nil {
			return cfErr(c, "body", err)
		}
	}
	for i := 0; i < l.N && i < c.NumOutputs(); i++ {
		x := st.bodyIn[i]
		if x == in[i] {
			c.SetOutput(i, x) // no iteration ran, or the body passed the state through
			continue
		}
		// The carried buffers are the Scan's own: the step's output is a
		// copy in storage the frame knows (planned or kept).
		o, err := c.OutputUninit(i, x.DType, x.Shape)
		if err != nil {
			return err
		}
		if !ir.CopyData(o, x) {
			c.SetOutput(i, x.Clone())
		}
	}
	if st.seqLen == 0 {
		for k := 0; k < l.K; k++ {
			if err := s.emptyOutput(c, k); err != nil {
				return err
			}
		}
	}
	return nil
}

// release drops this Run's values, so that the state holds none of them
// while it waits for the next Run.
func (st *scanState) release() {
	st.c, st.init = nil, nil
	clear(st.bodyIn)
	clear(st.dst)
}

// takeInto returns a tensor of x's dtype and shape without axis, reusing
// t when it has room.
func takeInto(t, x *ir.Tensor, axis int) *ir.Tensor {
	n := cfProd(x.Shape[:axis]) * cfProd(x.Shape[axis+1:])
	if t == nil || t.DType != x.DType || dataLen(t.Data) != n {
		t = ir.NewTensor(x.DType, dropDim(nil, x.Shape, axis))
	}
	t.Shape = dropDim(t.Shape, x.Shape, axis)
	return t
}

// dropDim sets dst to shape without dimension axis, reusing dst's storage.
func dropDim(dst, shape []int64, axis int) []int64 {
	return append(append(dst[:0], shape[:axis]...), shape[axis+1:]...)
}

// TakeOutputs implements OutputTaker for one iteration: it checks the
// states, copies them into the buffers the next iteration reads and
// places the scan elements.
func (st *scanState) TakeOutputs(outs []*ir.Tensor) error {
	s, l, t := st.s, st.s.l, st.t
	for i, o := range outs {
		if o == nil {
			return fmt.Errorf("body yielded no value for output %d", i)
		}
	}
	for i := 0; i < l.N; i++ {
		v, cur := outs[i], st.bodyIn[i]
		if !cfSameType(v, st.init[i]) {
			return fmt.Errorf("iteration %d: state %d changed from %v%v to %v%v", t, i, st.init[i].DType, st.init[i].Shape, v.DType, v.Shape)
		}
		if v == cur {
			continue
		}
		st.bodyIn[i] = carryInto(&st.carry, i, cur, v)
	}
	c := st.c
	for k, e := range outs[l.N:] {
		if e.Kind != ir.KindTensor {
			return fmt.Errorf("scan output %d must be a tensor, got a %v", k, e.Kind)
		}
		if st.dst[k] == nil {
			a, err := ir.NormAxis(s.outAxes[k], e.Rank()+1)
			if err != nil {
				return fmt.Errorf("scan_output_axes[%d]: %v", k, err)
			}
			st.oaxes[k] = a
			st.shapes[k] = append(append(append(st.shapes[k][:0], e.Shape[:a]...), int64(st.seqLen)), e.Shape[a:]...)
			if o := l.N + k; o < c.NumOutputs() {
				if st.dst[k], err = c.OutputUninit(o, e.DType, st.shapes[k]); err != nil {
					return err
				}
			} else {
				if st.omit[k] == nil {
					st.omit[k] = &ir.Tensor{}
				}
				st.omit[k].DType, st.omit[k].Shape = e.DType, st.shapes[k] // omitted: shape checks only
				st.dst[k] = st.omit[k]
			}
		}
		if err := s.place(st.dst[k], st.oaxes[k], st.seqLen, t, k, e); err != nil {
			return err
		}
	}
	return nil
}
