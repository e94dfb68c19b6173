package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// Loop runs its body while the trip count M is not reached and the
// condition holds:
//
//	inputs  (M?, cond?, v_initial...)      body inputs  (i, cond, v...)
//	outputs (v_final..., scan_outputs...)  body outputs (cond, v..., scan elements...)
//
// With M omitted the loop is bounded only by cond (or by nothing, if cond
// is omitted too); with cond omitted the body's condition output is
// ignored (a for loop). Loop-carried values may be tensors, sequences or
// optionals and may change shape between iterations; each scan output
// stacks the per-iteration tensors along a new axis 0 and must keep its
// dtype and shape. All opset versions share these semantics (11 added
// nothing observable, 13 sequences, 16 optionals).

// MaxLoopIterations bounds the iterations of one Loop: a Loop whose trip
// count M exceeds it (without a condition that could stop it earlier) and
// a condition-driven loop that runs past it fail with an error instead of
// running (almost) forever.
var MaxLoopIterations int64 = 1 << 18

func init() { Register("", "Loop", buildLoop) }

func buildLoop(b *Build) (Func, error) {
	if len(b.Node.Inputs) < 2 {
		return nil, b.Errorf("expects at least 2 inputs (M, cond; either may be empty), got %d", len(b.Node.Inputs))
	}
	body, sub, err := cfBody(b, "body")
	if err != nil {
		return nil, err
	}
	n := len(b.Node.Inputs) - 2
	if len(body.Inputs) != 2+n {
		return nil, b.Errorf("body has %d inputs, expected 2 + %d loop-carried", len(body.Inputs), n)
	}
	k := len(body.Outputs) - 1 - n
	if k < 0 {
		return nil, b.Errorf("body has %d outputs, expected 1 + %d loop-carried + scan outputs", len(body.Outputs), n)
	}
	if len(b.Node.Outputs) > n+k {
		return nil, b.Errorf("node has %d outputs, the body yields %d loop-carried and %d scan outputs", len(b.Node.Outputs), n, k)
	}
	for i := 0; i < n; i++ {
		if b.Node.Inputs[2+i] == nil {
			return nil, b.Errorf("loop-carried input %d is missing", i)
		}
	}
	l := &loopKernel{node: b.Node, sub: sub, n: n, k: k}
	for j := 0; j < k; j++ {
		l.scanTypes = append(l.scanTypes, body.Outputs[1+n+j].Type)
	}
	return l.run, nil
}

type loopKernel struct {
	node      *ir.Node
	sub       Subgraph
	n, k      int
	scanTypes []ir.Type // the body's static types of the scan elements
}

func (l *loopKernel) run(c *Ctx, in []*ir.Tensor) error {
	trip := int64(-1) // unbounded
	if in[0] != nil {
		m, err := cfInt(in[0], "M")
		if err != nil {
			return c.Errorf("%v", err)
		}
		trip = max(m, 0)
		if limit := c.LoopLimit(); trip > limit && in[1] == nil {
			return c.Errorf("trip count M = %d exceeds the limit of %d iterations (MaxLoopIterations)", m, limit)
		}
	}
	cond, useCond := true, in[1] != nil
	if useCond {
		var err error
		if cond, err = cfBool(in[1], "cond"); err != nil {
			return c.Errorf("%v", err)
		}
	}
	if v, ok := l.sub.(SubgraphVisitor); ok {
		return l.runVisit(c, v, in, trip, cond, useCond)
	}
	bodyIn := make([]*ir.Tensor, 2+l.n)
	copy(bodyIn[2:], in[2:])
	scans := make([][]*ir.Tensor, l.k)
	limit := cfLimit(c)
	var total int64 // elements held by the scan outputs so far
	for i := int64(0); cond && (trip < 0 || i < trip); i++ {
		if limit := c.LoopLimit(); i >= limit {
			return c.Errorf("loop ran past the limit of %d iterations (MaxLoopIterations)", limit)
		}
		bodyIn[0], bodyIn[1] = ir.Scalar(i), ir.Scalar(cond)
		outs, err := cfRun(c, l.sub, "body", bodyIn, 1+l.n+l.k)
		if err != nil {
			return err
		}
		if useCond {
			if cond, err = cfBool(outs[0], "body condition output"); err != nil {
				return c.Errorf("iteration %d: %v", i, err)
			}
		}
		copy(bodyIn[2:], outs[1:1+l.n])
		for j, e := range outs[1+l.n:] {
			if e.Kind != ir.KindTensor {
				return c.Errorf("iteration %d: scan output %d must be a tensor, got a %v", i, j, e.Kind)
			}
			if len(scans[j]) > 0 && !cfSameType(scans[j][0], e) {
				return c.Errorf("iteration %d: scan output %d changed from %v%v to %v%v", i, j, scans[j][0].DType, scans[j][0].Shape, e.DType, e.Shape)
			}
			total += int64(e.Len())
			if total > limit {
				return c.Errorf("scan outputs exceed the limit of %d elements", limit)
			}
			scans[j] = append(scans[j], e)
		}
	}
	for j := 0; j < l.n && j < c.NumOutputs(); j++ {
		c.SetOutput(j, bodyIn[2+j])
	}
	for j := 0; j < l.k && l.n+j < c.NumOutputs(); j++ {
		if err := l.stack(c, l.n+j, j, scans[j]); err != nil {
			return err
		}
	}
	return nil
}

// stack concatenates the scan elements of output o (scan output j) along a
// new axis 0.
func (l *loopKernel) stack(c *Ctx, o, j int, items []*ir.Tensor) error {
	if len(items) == 0 {
		// No iteration ran: the element shape comes from the static types.
		shape, dt, ok := cfStaticShape(l.node, o)
		if !ok {
			dt, shape = l.scanTypes[j].DType, []int64{0}
			if es, known := l.scanTypes[j].Shape.Concrete(); known && l.scanTypes[j].RankKnown {
				shape = append(shape, es...)
			}
		}
		if !dt.Valid() {
			return c.Errorf("scan output %d: no iteration ran and its dtype is unknown", j)
		}
		_, err := c.Output(o, dt, shape)
		return err
	}
	first := items[0]
	shape := append([]int64{int64(len(items))}, first.Shape...)
	out, err := c.OutputUninit(o, first.DType, shape)
	if err != nil {
		return err
	}
	m := first.Len()
	for i, e := range items {
		if !cfCopyBlocks(out.Data, e.Data, cfBlock{count: 1, n: m, d0: i * m, s0: 0}) {
			return fmt.Errorf("BUG: node %q: scan element storage %T does not match %T", l.node.Name, e.Data, out.Data)
		}
	}
	return nil
}
