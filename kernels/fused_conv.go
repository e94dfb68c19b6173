package kernels

import (
	"sync"

	"github.com/nncc/nncc/ir"
)

// nncc.FusedConv: Y = act(Conv(X, W, B) + R), float32 only, with every
// Conv attribute (auto_pad, pads, strides, dilations, group, kernel_shape;
// any number of spatial axes).
//
// The convolution itself is the Conv kernel, built from this node: it
// chooses its algorithm per shape (depthwise, weights prepacked at build,
// pointwise, im2col) and adds the bias in its SGEMM epilogue, so FusedConv
// gets every improvement made there. The residual and the activation then
// run in one pass over the output, plane by plane while each is in cache,
// split over the pool — instead of a separate Add and activation step,
// each reading and writing the whole tensor, with an intermediate buffer
// between them.

func init() { Register(ir.FusedDomain, "FusedConv", buildFusedConv) }

type fusedConv struct {
	conv Func
	act  fusedAct
}

func buildFusedConv(b *Build) (Func, error) {
	f := &fusedConv{}
	var err error
	if f.act, err = parseFusedAct(b); err != nil {
		return nil, err
	}
	for i := range 4 {
		if dt := b.InDType(i); dt != ir.Undefined && dt != ir.Float32 {
			return nil, b.Errorf("input %d has dtype %v; FusedConv computes in float32 only", i, dt)
		}
	}
	conv, ok := Lookup("", "Conv")
	if !ok {
		return nil, b.Errorf("BUG: no Conv kernel")
	}
	cb := *b
	cb.InTypes = b.InTypes[:min(len(b.InTypes), 3)]
	if f.conv, err = conv(&cb); err != nil {
		return nil, err
	}
	return f.run, nil
}

func (f *fusedConv) run(c *Ctx, in []*ir.Tensor) error {
	for i, t := range in {
		if t != nil && t.DType != ir.Float32 {
			return c.Errorf("input %d has dtype %v; FusedConv computes in float32 only", i, t.DType)
		}
	}
	res := tensorAt(in, 3)
	var rd []float32
	if res != nil {
		rd = res.F32()
		if p := c.plannedF32(0); len(p) > 0 && len(rd) > 0 && &p[0] == &rd[0] {
			// The planner placed Y over R: keep a copy of R, which the
			// convolution is about to overwrite. (Not in the step's F32
			// scratch: Conv uses that. Today's planner never does this.)
			rd = append([]float32(nil), rd...)
		}
	}
	if err := f.conv(c, in[:min(len(in), 3)]); err != nil {
		return err
	}
	out := c.Outs[0]
	if out == nil {
		return c.Errorf("BUG: Conv produced no output")
	}
	if res != nil && !sameShape(res.Shape, out.Shape) {
		return c.Errorf("residual R has shape %v, expected %v", res.Shape, out.Shape)
	}
	if res == nil && f.act.kind == faNone {
		return nil
	}
	y := out.F32()
	plane := 1
	for _, d := range out.Shape[min(2, len(out.Shape)):] {
		plane *= int(d)
	}
	planes := 0
	if plane > 0 {
		planes = len(y) / plane
	}
	j := fusedPostJobs.Get().(*fusedPostJob)
	j.y, j.r, j.plane, j.act = y, rd, plane, &f.act
	if c.Pool == nil || c.Pool.Threads() <= 1 || len(y) < 1<<14 {
		j.run(0, planes)
	} else {
		c.Pool.For(planes, max(1, (1<<12)/max(plane, 1)), j.fn)
	}
	j.y, j.r, j.act = nil, nil, nil
	fusedPostJobs.Put(j)
	return nil
}

// fusedPostJob adds the residual and applies the activation to planes
// [lo, hi) of the output; fn is its run method, bound once, so that
// handing it to the pool allocates nothing.
type fusedPostJob struct {
	y, r  []float32
	plane int
	act   *fusedAct
	fn    func(lo, hi int)
}

var fusedPostJobs = sync.Pool{New: func() any {
	j := &fusedPostJob{}
	j.fn = j.run
	return j
}}

func (j *fusedPostJob) run(lo, hi int) {
	for p := lo; p < hi; p++ {
		row := j.y[p*j.plane : (p+1)*j.plane]
		if j.r != nil {
			r := j.r[p*j.plane : (p+1)*j.plane]
			for i := range row {
				row[i] += r[i]
			}
		}
		j.act.apply(row)
	}
}

// plannedF32 returns the float32 data of output i's planned buffer, if any.
func (c *Ctx) plannedF32(i int) []float32 {
	if i < len(c.Planned) && c.Planned[i] != nil {
		if d, ok := c.Planned[i].Data.([]float32); ok {
			return d
		}
	}
	return nil
}
