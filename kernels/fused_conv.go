package kernels

import (
	"sync"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/sgemm"
)

// nncc.FusedConv: Y = act(Conv(X, W, B) + R), float32 only, with every
// Conv attribute (auto_pad, pads, strides, dilations, group, kernel_shape;
// any number of spatial axes). Per image and group the patch matrix is
// built by im2col in the step's scratch buffer (a 1×1 unit-stride kernel
// without padding reads X directly) and multiplied by the group's weights
// on the SIMD SGEMM:
//
//	Y[n, g] (M/g × out) = W[g] (M/g × C/g·k) · col (C/g·k × out)
//
// Rows of Y are output channels, so the bias, the residual and any
// activation other than Relu are applied by the epilogue hook, row piece
// by row piece, while the product's tile is still in L1.

func init() { Register(ir.FusedDomain, "FusedConv", buildFusedConv) }

type fusedConv struct {
	spec *convSpec
	act  fusedAct
	// plain is the epilogue without bias or residual (nil: use a hook).
	plain *sgemm.Epilogue
}

func buildFusedConv(b *Build) (Func, error) {
	spec, err := newConvSpec(b)
	if err != nil {
		return nil, err
	}
	f := &fusedConv{spec: spec}
	if f.act, err = parseFusedAct(b); err != nil {
		return nil, err
	}
	for i := range 4 {
		if dt := b.InDType(i); dt != ir.Undefined && dt != ir.Float32 {
			return nil, b.Errorf("input %d has dtype %v; FusedConv computes in float32 only", i, dt)
		}
	}
	if reg, ok := f.act.inRegisters(); ok {
		f.plain = &sgemm.Epilogue{Act: reg}
	}
	return f.run, nil
}

// convEpi is the epilogue state of one FusedConv product (one image and
// group); hook is bound once so that handing it to sgemm allocates nothing.
type convEpi struct {
	ep   sgemm.Epilogue
	act  *fusedAct
	bias []float32 // per row (output channel of the group), or nil
	res  []float32 // residual rows, stride ld, or nil
	ld   int
}

var convEpis = sync.Pool{New: func() any {
	e := &convEpi{}
	e.ep.Hook = e.hook
	return e
}}

func (e *convEpi) hook(row []float32, i, col int) {
	if e.bias != nil {
		b := e.bias[i]
		for j := range row {
			row[j] += b
		}
	}
	if e.res != nil {
		r := e.res[i*e.ld+col:]
		r = r[:len(row)]
		for j := range row {
			row[j] += r[j]
		}
	}
	e.act.apply(row)
}

func (f *fusedConv) run(c *Ctx, in []*ir.Tensor) error {
	x, w, bias, err := convInputs(c, in[:min(len(in), 3)])
	if err != nil {
		return err
	}
	res := tensorAt(in, 3)
	for i, t := range in {
		if t != nil && t.DType != ir.Float32 {
			return c.Errorf("input %d has dtype %v; FusedConv computes in float32 only", i, t.DType)
		}
	}
	g, err := f.spec.geom(c, x.Shape, w.Shape, false)
	if err != nil {
		return err
	}
	if err := checkBias(c, bias, g.m); err != nil {
		return err
	}
	oshape := g.outShape()
	if res != nil && !sameShape(res.Shape, oshape) {
		return c.Errorf("residual R has shape %v, expected %v", res.Shape, oshape)
	}
	out, err := c.OutputUninit(0, ir.Float32, oshape)
	if err != nil {
		return err
	}
	xd, wd, y := x.F32(), w.F32(), out.F32()
	beta := float32(0)
	if res != nil && len(y) > 0 && &res.F32()[0] == &y[0] {
		// The planner placed Y over R: the product accumulates onto it.
		res, beta = nil, 1
	}
	cg, mg := g.c/g.group, g.m/g.group
	kk := cg * g.kSize
	var col []float32
	if !g.pointwise {
		col = c.ScratchF32(kk * g.outSize)
	}
	var e *convEpi
	ep := f.plain
	if bias != nil || res != nil || ep == nil {
		e = convEpis.Get().(*convEpi)
		e.act, e.ld = &f.act, g.outSize
		ep = &e.ep
		defer func() { e.act, e.bias, e.res = nil, nil, nil; convEpis.Put(e) }()
	}
	for n := range g.n {
		for gi := range g.group {
			src := xd[(n*g.c+gi*cg)*g.inSize:]
			if !g.pointwise {
				im2col(g, src, cg, col)
				src = col
			}
			base := (n*g.m + gi*mg) * g.outSize
			ys := y[base : base+mg*g.outSize]
			if e != nil {
				e.bias, e.res = nil, nil
				if bias != nil {
					e.bias = bias.F32()[gi*mg : (gi+1)*mg]
				}
				if res != nil {
					e.res = res.F32()[base : base+mg*g.outSize]
				}
			}
			sgemm.SgemmEpilogue(false, false, mg, g.outSize, kk, 1, wd[gi*mg*kk:], kk, src, g.outSize, beta, ys, g.outSize, ep, c.Pool)
		}
	}
	return nil
}
