package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// Scan iterates its body over slices of the scan inputs, carrying N state
// variables and stacking K scan outputs:
//
//	opset 9+: inputs (states..., scan_inputs...); each scan input is sliced
//	          along scan_input_axes[j] (forward or, per
//	          scan_input_directions, backward); each scan output is stacked
//	          along scan_output_axes[k], appended or (per
//	          scan_output_directions) prepended.
//	opset 8:  inputs (sequence_lens?, states..., scan_inputs...); axis 0 of
//	          every input is a batch axis run independently, axis 1 of the
//	          scan inputs is the sequence axis, directions reverses scan
//	          inputs, and sequence_lens shortens each batch entry's loop
//	          (scan output positions past it are zero).
//
// States and scan elements must keep their dtype and shape across
// iterations.

func init() { Register("", "Scan", buildScan) }

type scanKernel struct {
	node       *ir.Node
	sub        Subgraph
	l          ir.ScanLayout
	inAxes     []int64
	inDirs     []int64
	outAxes    []int64
	outDirs    []int64
	scanTypes  []ir.Type // static types of the body's scan elements
	legacyDirs []int64   // opset 8 "directions"
}

func buildScan(b *Build) (Func, error) {
	body, sub, err := cfBody(b, "body")
	if err != nil {
		return nil, err
	}
	l, err := ir.ScanLayoutOf(b.Node, body)
	if err != nil {
		return nil, b.Errorf("%v", err)
	}
	s := &scanKernel{node: b.Node, sub: sub, l: l}
	flag := func(v int64) bool { return v == 0 || v == 1 }
	a := b.Node.Attrs
	if b.Node.Opset < 9 {
		if s.legacyDirs, err = ir.ScanAttrList(a, "directions", l.M, flag); err != nil {
			return nil, b.Errorf("%v", err)
		}
	} else {
		if s.inAxes, err = ir.ScanAttrList(a, "scan_input_axes", l.M, nil); err != nil {
			return nil, b.Errorf("%v", err)
		}
		if s.inDirs, err = ir.ScanAttrList(a, "scan_input_directions", l.M, flag); err != nil {
			return nil, b.Errorf("%v", err)
		}
		if s.outAxes, err = ir.ScanAttrList(a, "scan_output_axes", l.K, nil); err != nil {
			return nil, b.Errorf("%v", err)
		}
		if s.outDirs, err = ir.ScanAttrList(a, "scan_output_directions", l.K, flag); err != nil {
			return nil, b.Errorf("%v", err)
		}
	}
	for k := 0; k < l.K; k++ {
		s.scanTypes = append(s.scanTypes, body.Outputs[l.N+k].Type)
	}
	if b.Node.Opset < 9 {
		return s.runBatched, nil
	}
	return s.run, nil
}

// checkTensors rejects sequences and optionals among the inputs.
func (s *scanKernel) checkTensors(c *Ctx, in []*ir.Tensor) error {
	for i, t := range in[s.l.Off:] {
		if t.Kind != ir.KindTensor {
			return c.Errorf("input %d must be a tensor, got a %v", s.l.Off+i, t.Kind)
		}
	}
	return nil
}

// run is Scan for opset 9 and later.
func (s *scanKernel) run(c *Ctx, in []*ir.Tensor) error {
	if err := s.checkTensors(c, in); err != nil {
		return err
	}
	if v, ok := s.sub.(SubgraphVisitor); ok {
		return s.runVisit(c, v, in)
	}
	l := s.l
	states := append([]*ir.Tensor{}, in[:l.N]...)
	scanIn := in[l.N : l.N+l.M]
	axes := make([]int, l.M)
	seqLen := -1
	for j, t := range scanIn {
		a, err := ir.NormAxis(s.inAxes[j], t.Rank())
		if err != nil {
			return c.Errorf("scan_input_axes[%d]: %v", j, err)
		}
		axes[j] = a
		if d := int(t.Shape[a]); seqLen < 0 {
			seqLen = d
		} else if d != seqLen {
			return c.Errorf("scan input %d has %d steps along axis %d, scan input 0 has %d", j, d, a, seqLen)
		}
	}
	outs := make([]*ir.Tensor, l.K) // scan outputs, allocated on first use
	outAxes := make([]int, l.K)
	bodyIn := make([]*ir.Tensor, l.N+l.M)
	for t := 0; t < seqLen; t++ {
		copy(bodyIn, states)
		for j, x := range scanIn {
			p := t
			if s.inDirs[j] == 1 {
				p = seqLen - 1 - t
			}
			bodyIn[l.N+j] = cfTake(x, axes[j], p)
		}
		res, err := cfRun(c, s.sub, "body", bodyIn, l.N+l.K)
		if err != nil {
			return err
		}
		for i := range states {
			if !cfSameType(res[i], in[i]) {
				return c.Errorf("iteration %d: state %d changed from %v%v to %v%v", t, i, in[i].DType, in[i].Shape, res[i].DType, res[i].Shape)
			}
			states[i] = res[i]
		}
		for k, e := range res[l.N:] {
			o := l.N + k
			if e.Kind != ir.KindTensor {
				return c.Errorf("scan output %d must be a tensor, got a %v", k, e.Kind)
			}
			if outs[k] == nil {
				a, err := ir.NormAxis(s.outAxes[k], e.Rank()+1)
				if err != nil {
					return c.Errorf("scan_output_axes[%d]: %v", k, err)
				}
				outAxes[k] = a
				shape := append(append(append([]int64{}, e.Shape[:a]...), int64(seqLen)), e.Shape[a:]...)
				if o < c.NumOutputs() {
					outs[k], err = c.OutputUninit(o, e.DType, shape)
				} else {
					outs[k], err = &ir.Tensor{DType: e.DType, Shape: shape}, nil // omitted: shape checks only
				}
				if err != nil {
					return err
				}
			}
			if err := s.place(outs[k], outAxes[k], seqLen, t, k, e); err != nil {
				return c.Errorf("%v", err)
			}
		}
	}
	for i := 0; i < l.N && i < c.NumOutputs(); i++ {
		c.SetOutput(i, states[i])
	}
	if seqLen == 0 {
		for k := 0; k < l.K; k++ {
			if err := s.emptyOutput(c, k); err != nil {
				return err
			}
		}
	}
	return nil
}

// place writes scan element e of iteration t into scan output k.
func (s *scanKernel) place(out *ir.Tensor, axis, seqLen, t, k int, e *ir.Tensor) error {
	if e.DType != out.DType || !sameShapeWithout(out.Shape, axis, e.Shape) {
		return fmt.Errorf("iteration %d: scan output %d is %v%v, earlier iterations gave %v%v", t, k, e.DType, e.Shape, out.DType, dropDim(nil, out.Shape, axis))
	}
	if out.Data == nil {
		return nil
	}
	p := t
	if s.outDirs[k] == 1 {
		p = seqLen - 1 - t
	}
	outer, inner := cfProd(e.Shape[:axis]), cfProd(e.Shape[axis:])
	if !cfCopyBlocks(out.Data, e.Data, cfBlock{count: outer, n: inner, d0: p * inner, ds: seqLen * inner, s0: 0, ss: inner}) {
		return fmt.Errorf("BUG: node %q: scan element storage %T does not match %T", s.node.Name, e.Data, out.Data)
	}
	return nil
}

// sameShapeWithout reports whether e is shape without dimension axis.
func sameShapeWithout(shape []int64, axis int, e []int64) bool {
	return len(e)+1 == len(shape) && sameShape(shape[:axis], e[:axis]) && sameShape(shape[axis+1:], e[axis:])
}

// emptyOutput produces scan output k when no iteration ran: its element
// shape comes from the static types.
func (s *scanKernel) emptyOutput(c *Ctx, k int) error {
	o := s.l.N + k
	if o >= c.NumOutputs() {
		return nil
	}
	shape, dt, ok := cfStaticShape(s.node, o)
	if !ok {
		return c.Errorf("scan output %d: no iteration ran and its static shape is unknown", k)
	}
	_, err := c.Output(o, dt, shape)
	return err
}

// runBatched is Scan-8: every batch entry runs its own loop.
func (s *scanKernel) runBatched(c *Ctx, in []*ir.Tensor) error {
	if err := s.checkTensors(c, in); err != nil {
		return err
	}
	l := s.l
	init := in[1 : 1+l.N]
	scanIn := in[1+l.N : 1+l.N+l.M]
	batch, maxLen := int64(-1), int64(-1)
	for j, x := range scanIn {
		if x.Rank() < 2 {
			return c.Errorf("scan input %d needs batch and sequence axes, got shape %v", j, x.Shape)
		}
		if j == 0 {
			batch, maxLen = x.Shape[0], x.Shape[1]
		} else if x.Shape[0] != batch || x.Shape[1] != maxLen {
			return c.Errorf("scan input %d has batch and sequence sizes %v, scan input 0 has [%d %d]", j, x.Shape[:2], batch, maxLen)
		}
	}
	for i, x := range init {
		if x.Rank() < 1 || x.Shape[0] != batch {
			return c.Errorf("state %d must have the batch size %d on axis 0, got shape %v", i, batch, x.Shape)
		}
	}
	lens := make([]int64, batch)
	for b := range lens {
		lens[b] = maxLen
	}
	if in[0] != nil {
		v, err := in[0].Int64s()
		if err != nil || in[0].DType != ir.Int64 {
			return c.Errorf("sequence_lens must be int64, got %v", in[0].DType)
		}
		if int64(len(v)) != batch {
			return c.Errorf("sequence_lens has %d entries, the batch size is %d", len(v), batch)
		}
		for b, n := range v {
			if n < 0 || n > maxLen {
				return c.Errorf("sequence_lens[%d] = %d is outside [0, %d]", b, n, maxLen)
			}
			lens[b] = n
		}
	}
	finals := make([][]*ir.Tensor, batch)  // [batch][state]
	elems := make([][][]*ir.Tensor, batch) // [batch][step][scan output]
	var elemType = make([]*ir.Tensor, l.K) // first element of each scan output
	bodyIn := make([]*ir.Tensor, l.N+l.M)
	for b := 0; b < int(batch); b++ {
		states := make([]*ir.Tensor, l.N)
		for i, x := range init {
			states[i] = cfTake(x, 0, b)
		}
		elems[b] = make([][]*ir.Tensor, maxLen)
		n := int(lens[b])
		for t := 0; t < n; t++ {
			copy(bodyIn, states)
			for j, x := range scanIn {
				p := t
				if s.legacyDirs[j] == 1 {
					p = n - 1 - t
				}
				bodyIn[l.N+j] = cfTake(cfTake(x, 0, b), 0, p)
			}
			res, err := cfRun(c, s.sub, "body", bodyIn, l.N+l.K)
			if err != nil {
				return err
			}
			for i := range states {
				if !cfSameType(res[i], states[i]) {
					return c.Errorf("batch %d, iteration %d: state %d changed from %v%v to %v%v", b, t, i, states[i].DType, states[i].Shape, res[i].DType, res[i].Shape)
				}
			}
			copy(states, res[:l.N])
			for k, e := range res[l.N:] {
				if e.Kind != ir.KindTensor {
					return c.Errorf("scan output %d must be a tensor, got a %v", k, e.Kind)
				}
				if elemType[k] == nil {
					elemType[k] = e
				} else if !cfSameType(elemType[k], e) {
					return c.Errorf("batch %d, iteration %d: scan output %d is %v%v, earlier iterations gave %v%v", b, t, k, e.DType, e.Shape, elemType[k].DType, elemType[k].Shape)
				}
			}
			elems[b][t] = res[l.N:]
		}
		finals[b] = states
	}
	for i := 0; i < l.N && i < c.NumOutputs(); i++ {
		st := init[i]
		out, err := c.OutputUninit(i, st.DType, st.Shape)
		if err != nil {
			return err
		}
		m := cfProd(st.Shape[1:])
		for b := range finals {
			cfCopyBlocks(out.Data, finals[b][i].Data, cfBlock{count: 1, n: m, d0: b * m})
		}
	}
	for k := 0; k < l.K && l.N+k < c.NumOutputs(); k++ {
		o := l.N + k
		if elemType[k] == nil {
			if err := s.emptyOutput(c, k); err != nil {
				return err
			}
			continue
		}
		e := elemType[k]
		out, err := c.Output(o, e.DType, append([]int64{batch, maxLen}, e.Shape...))
		if err != nil {
			return err
		}
		m := e.Len()
		for b := range elems {
			for t, res := range elems[b] {
				if res != nil {
					cfCopyBlocks(out.Data, res[k].Data, cfBlock{count: 1, n: m, d0: (b*int(maxLen) + t) * m})
				}
			}
		}
	}
	return nil
}
