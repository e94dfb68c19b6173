package kernels

import (
	"sync"

	"github.com/nncc/nncc/ir"
)

// Conv: im2col followed by a matrix product per (image, group):
// Y[n, g] (M/g × out) = W[g] (M/g × C/g·k) · col (C/g·k × out), plus bias.

func init() { Register("", "Conv", buildConv) }

func buildConv(b *Build) (Func, error) {
	spec, err := newConvSpec(b)
	if err != nil {
		return nil, err
	}
	k := &convKernel{spec: spec}
	return nnFloatKernel(k.runF32, runConvGeneric[float64](spec)), nil
}

type convKernel struct {
	spec *convSpec
	col  nnScratch[float32]
}

func convInputs(c *Ctx, in []*ir.Tensor) (x, w, bias *ir.Tensor, err error) {
	x, w = in[0], in[1]
	if x == nil || w == nil {
		return nil, nil, nil, c.Errorf("inputs X and W are required")
	}
	if len(in) > 2 {
		bias = in[2]
	}
	if err := nnSameDType(c, in, 0, 1, 2); err != nil {
		return nil, nil, nil, err
	}
	return x, w, bias, nil
}

func checkBias(c *Ctx, bias *ir.Tensor, m int) error {
	if bias != nil && (len(bias.Shape) != 1 || int(bias.Shape[0]) != m) {
		return c.Errorf("bias B has shape %v, expected [%d]", bias.Shape, m)
	}
	return nil
}

func (k *convKernel) runF32(c *Ctx, in []*ir.Tensor) error {
	x, w, bias, err := convInputs(c, in)
	if err != nil {
		return err
	}
	g, err := k.spec.geom(c, x.Shape, w.Shape, false)
	if err != nil {
		return err
	}
	if err := checkBias(c, bias, g.m); err != nil {
		return err
	}
	out, err := c.OutputUninit(0, ir.Float32, g.outShape())
	if err != nil {
		return err
	}
	j := convJobs.Get().(*convJob)
	*j = convJob{k: k, c: c, g: g, x: x.F32(), w: w.F32(), y: out.F32(), fn: j.fn}
	if bias != nil {
		j.bias = bias.F32()
	}
	j.kk = g.c / g.group * g.kSize
	if !g.pointwise {
		j.colLen = j.kk * g.outSize
	}
	if g.group == 1 && g.n <= 1 || c.Pool.Threads() <= 1 {
		// One image at a time; a single group's product is split
		// across threads by SgemmPar.
		buf := k.col.get(j.colLen)
		for n := range g.n {
			for gi := range g.group {
				j.one(n, gi, *buf, g.group == 1)
			}
		}
		k.col.put(buf)
	} else {
		c.Pool.For(g.n*g.group, 1, j.fn)
	}
	*j = convJob{fn: j.fn}
	convJobs.Put(j)
	return nil
}

// convJob is one float32 Conv call; fn (its run method, bound once) is
// the parallel loop body over (image, group) pairs.
type convJob struct {
	k          *convKernel
	c          *Ctx
	g          *convGeom
	x, w, y    []float32
	bias       []float32
	kk, colLen int
	fn         func(lo, hi int)
}

var convJobs = sync.Pool{New: func() any {
	j := &convJob{}
	j.fn = j.run
	return j
}}

func (j *convJob) run(lo, hi int) {
	buf := j.k.col.get(j.colLen)
	for t := lo; t < hi; t++ {
		j.one(t/j.g.group, t%j.g.group, *buf, false)
	}
	j.k.col.put(buf)
}

// one computes image n, group gi: im2col, the product, the bias.
func (j *convJob) one(n, gi int, col []float32, par bool) {
	g := j.g
	cg, mg := g.c/g.group, g.m/g.group
	xs := j.x[(n*g.c+gi*cg)*g.inSize:]
	src := xs
	if !g.pointwise {
		im2col(g, xs, cg, col)
		src = col
	}
	ys := j.y[(n*g.m+gi*mg)*g.outSize : (n*g.m+(gi+1)*mg)*g.outSize]
	ws := j.w[gi*mg*j.kk:]
	if par {
		SgemmPar(j.c.Pool, false, false, mg, g.outSize, j.kk, 1, ws, j.kk, src, g.outSize, 0, ys, g.outSize)
	} else {
		Sgemm(false, false, mg, g.outSize, j.kk, 1, ws, j.kk, src, g.outSize, 0, ys, g.outSize)
	}
	if j.bias != nil {
		bd := j.bias[gi*mg:]
		for m := range mg {
			row := ys[m*g.outSize : (m+1)*g.outSize]
			bv := bd[m]
			for i := range row {
				row[i] += bv
			}
		}
	}
}

// runConvGeneric is Conv for float64 (and any nnNumber type): im2col plus
// the plain matrix product.
func runConvGeneric[T nnNumber](spec *convSpec) Func {
	return func(c *Ctx, in []*ir.Tensor) error {
		x, w, bias, err := convInputs(c, in)
		if err != nil {
			return err
		}
		g, err := spec.geom(c, x.Shape, w.Shape, false)
		if err != nil {
			return err
		}
		if err := checkBias(c, bias, g.m); err != nil {
			return err
		}
		out, err := c.OutputUninit(0, x.DType, g.outShape())
		if err != nil {
			return err
		}
		var bd []T
		if bias != nil {
			bd = ir.Data[T](bias)
		}
		convCompute(g, ir.Data[T](x), ir.Data[T](w), bd, ir.Data[T](out))
		return nil
	}
}

// convCompute is the portable convolution: y = conv(x, w) + bias.
func convCompute[T nnNumber](g *convGeom, x, w, bias, y []T) {
	cg, mg := g.c/g.group, g.m/g.group
	kk := cg * g.kSize
	col := make([]T, kk*g.outSize)
	for n := range g.n {
		for gi := range g.group {
			im2col(g, x[(n*g.c+gi*cg)*g.inSize:], cg, col)
			ys := y[(n*g.m+gi*mg)*g.outSize:]
			gemmGeneric(false, false, mg, g.outSize, kk, 1, w[gi*mg*kk:], kk, col, g.outSize, 0, ys, g.outSize)
			if bias != nil {
				for m := range mg {
					row := ys[m*g.outSize : (m+1)*g.outSize]
					for i := range row {
						row[i] += bias[gi*mg+m]
					}
				}
			}
		}
	}
}
