package kernels

import (
	"sync"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/sgemm"
	"github.com/nncc/nncc/kernels/vecmath"
)

// Conv. Float32 chooses its algorithm per input shape (the choice is a few
// comparisons on the cached geometry, so it is redone per Run at no cost);
// float64 (and any other nnNumber type) runs the portable im2col + triple
// loop of convCompute, and float16/bfloat16 run the float32 path.
//
// With cg = C/group input and mg = M/group output channels per group,
// kk = cg·kernel taps and out = output positions per image:
//
//	algorithm   when                                        per (image, group)
//	depthwise   2-D, group == C, M a multiple of C          vecmath.DepthwiseConv2D over
//	                                                        all planes (no GEMM)
//	packed      W constant and packed at build, out < kk,   Yᵀ (out×mg) = colᵀ·W[g]ᵀ on the
//	            and (mg ≥ 64 or out < 64)                   prepacked W, then Yᵀ is transposed
//	                                                        into Y adding the bias; col is X
//	                                                        itself for a pointwise kernel
//	pointwise   1×…×1 kernel, unit strides, no padding      Y[g] (mg×out) = W[g]·X[g], no im2col
//	im2col      otherwise                                   col = im2col(X[g]) in scratch,
//	                                                        Y[g] = W[g]·col
//
// Why: the SGEMM keeps vectors along the columns of C and packs its
// right-hand operand in strips (64 wide on AVX-512, 16 on AVX2). In
// Y = W·col, W is the left operand, which sgemm packs per call (mg·kk
// values) and the columns are output positions. Computing Yᵀ instead puts
// the weights on the right, where they are packed once at build time, at
// the price of transposing Y (mg·out values): that wins when out < kk and
// the channels fill the strips, i.e. in the deep layers of a network (few
// positions, many channels), and loses in the wide early layers. The
// direct forms add the bias in the SGEMM epilogue (a hook on each row
// piece of Y while it is in L1); the packed form adds it while
// transposing. W is packed at build only when the static input shape
// chooses the packed form (or, with unknown spatial dims, when mg ≥ 64).
//
// Threads: one image and group at a time with the SGEMM split over the
// pool when there is a single (image, group) pair or one thread (and the
// product has at least convParWork multiply-adds); otherwise the pairs are
// split among the threads, each with its own part of the step's scratch.
// Depthwise convolutions are split over images.

func init() { Register("", "Conv", buildConv) }

func buildConv(b *Build) (Func, error) {
	spec, err := newConvSpec(b)
	if err != nil {
		return nil, err
	}
	k := &convKernel{spec: spec}
	k.prepack(b)
	return nnFloatKernel(k.runF32, runConvGeneric[float64](spec)), nil
}

// convKernel is the build-time state of one Conv node (read-only at Run).
type convKernel struct {
	spec *convSpec
	pw   []*sgemm.PackedB // per group: op(B) = W[g]ᵀ (kk×mg), or nil
	ws   []int64          // W's shape when pw is set
}

// convAlgo names a row of the choice table above.
type convAlgo int

const (
	convIm2col convAlgo = iota
	convPointwise
	convPacked
	convDepthwise
)

// convParWork is the size of one (image, group) product (mg·out·kk
// multiply-adds) from which its SGEMM is split over the pool.
const convParWork = 1 << 20

// convPackMinM is the channel count per group from which W is packed at
// build when the input's spatial size is not known then.
const convPackMinM = 64

// choose returns the float32 algorithm for geometry g; packed reports
// whether prepacked weights are available.
func convChoose(g *convGeom, packed bool) convAlgo {
	mg, kk := g.m/g.group, g.c/g.group*g.kSize
	switch {
	case len(g.in) == 2 && g.group == g.c && g.group > 1 && g.m%g.c == 0 && g.pb[0] >= 0 && g.pb[1] >= 0:
		return convDepthwise
	case packed && g.outSize < kk && (mg >= convPackMinM || g.outSize < convPackMinM):
		return convPacked
	case g.pointwise:
		return convPointwise
	}
	return convIm2col
}

// prepack packs a constant float32 W for the packed algorithm when the
// shapes known at build time can choose it.
func (k *convKernel) prepack(b *Build) {
	w := b.Node.In(1)
	if w == nil || w.Const == nil || w.Const.DType != ir.Float32 || len(w.Const.Shape) < 3 {
		return
	}
	ws := w.Const.Shape
	group := k.spec.group
	if int(ws[0])%group != 0 || ws[0] == 0 {
		return
	}
	mg := int(ws[0]) / group
	kk := nnProd(ws[1:])
	data := w.Const.F32()
	if len(data) != mg*group*kk || kk == 0 {
		return
	}
	want := mg >= convPackMinM
	if len(b.InTypes) > 0 && b.InTypes[0] != nil && b.InTypes[0].RankKnown {
		xs := make([]int64, len(b.InTypes[0].Shape))
		known := len(xs) == len(ws)
		for i, d := range b.InTypes[0].Shape {
			switch {
			case d.Known():
				xs[i] = d.Size
			case i == 0:
				xs[i] = 1 // the batch size does not enter the choice
			default:
				known = false
			}
		}
		if known {
			if g, err := k.spec.resolve(&Ctx{Node: b.Node}, xs, ws, false); err == nil {
				want = convChoose(g, true) == convPacked
			}
		}
	}
	if !want {
		return
	}
	k.pw = make([]*sgemm.PackedB, group)
	for gi := range group {
		k.pw[gi] = sgemm.PackB(true, kk, mg, data[gi*mg*kk:(gi+1)*mg*kk], kk)
	}
	k.ws = append([]int64{}, ws...)
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
	y := out.F32()
	if len(y) == 0 {
		return nil
	}
	var bd []float32
	if bias != nil {
		bd = bias.F32()
	}
	packed := k.pw != nil && sameShape(w.Shape, k.ws)
	algo := convChoose(g, packed)
	if algo == convDepthwise {
		convDepthwise2D(c, g, x.F32(), w.F32(), bd, y)
		return nil
	}
	j := convJobs.Get().(*convJob)
	*j = convJob{k: k, g: g, algo: algo, x: x.F32(), w: w.F32(), bias: bd, y: y, fn: j.fn}
	cg, mg := g.c/g.group, g.m/g.group
	j.kk = cg * g.kSize
	if !g.pointwise {
		j.colLen = j.kk * g.outSize
	}
	if algo == convPacked {
		j.ytLen = g.outSize * mg
	}
	pairs := g.n * g.group
	threads := c.Pool.Threads()
	if pairs == 1 || threads <= 1 {
		j.buf = c.ScratchF32(j.colLen + j.ytLen)
		pool := sgemmPool(c.Pool)
		if mg*g.outSize*j.kk < convParWork {
			pool = nil // too small to pay for a hand-off
		}
		for t := range pairs {
			j.one(t/g.group, t%g.group, j.buf, pool)
		}
	} else {
		j.tasks = min(threads, pairs)
		j.buf = c.ScratchF32((j.colLen + j.ytLen) * j.tasks)
		c.Pool.For(j.tasks, 1, j.fn)
	}
	*j = convJob{fn: j.fn}
	convJobs.Put(j)
	return nil
}

// convJob is one float32 Conv call; fn (its run method, bound once) is
// the parallel loop body over tasks, each a contiguous range of (image,
// group) pairs with its own part of buf.
type convJob struct {
	k             *convKernel
	g             *convGeom
	algo          convAlgo
	x, w, y, bias []float32
	buf           []float32
	kk            int
	colLen, ytLen int
	tasks         int
	fn            func(lo, hi int)
}

var convJobs = sync.Pool{New: func() any {
	j := &convJob{}
	j.fn = j.run
	return j
}}

func (j *convJob) run(lo, hi int) {
	pairs := j.g.n * j.g.group
	per := j.colLen + j.ytLen
	for t := lo; t < hi; t++ {
		buf := j.buf[t*per : (t+1)*per]
		for p := t * pairs / j.tasks; p < (t+1)*pairs/j.tasks; p++ {
			j.one(p/j.g.group, p%j.g.group, buf, nil)
		}
	}
}

// one computes image n, group gi with the job's algorithm; buf holds the
// patch matrix (colLen values) and, for the packed form, Yᵀ (ytLen).
func (j *convJob) one(n, gi int, buf []float32, pool sgemm.Pool) {
	g := j.g
	cg, mg, os := g.c/g.group, g.m/g.group, g.outSize
	src := j.x[(n*g.c+gi*cg)*g.inSize:]
	if !g.pointwise {
		col := buf[:j.colLen]
		im2col(g, src, cg, col)
		src = col
	}
	ys := j.y[(n*g.m+gi*mg)*os : (n*g.m+(gi+1)*mg)*os]
	var bias []float32
	if j.bias != nil {
		bias = j.bias[gi*mg : (gi+1)*mg]
	}
	if j.algo == convPacked {
		yt := buf[j.colLen : j.colLen+j.ytLen]
		sgemm.SgemmPacked(true, os, 1, src, os, j.k.pw[gi], 0, yt, mg, nil, pool)
		convTransposeBias(ys, yt, bias, mg, os)
		return
	}
	var ep *sgemm.Epilogue
	var e *convBiasEpi
	if bias != nil {
		e = convBiasEpis.Get().(*convBiasEpi)
		e.bias = bias
		ep = &e.ep
	}
	sgemm.SgemmEpilogue(false, false, mg, os, j.kk, 1, j.w[gi*mg*j.kk:], j.kk, src, os, 0, ys, os, ep, pool)
	if e != nil {
		e.bias = nil
		convBiasEpis.Put(e)
	}
}

// convTransposeBias sets y (rows × cols) to the transpose of yt (cols ×
// rows) plus bias[row] (bias may be nil), in blocks that stay in L1.
func convTransposeBias(y, yt, bias []float32, rows, cols int) {
	const blk = 32
	for r0 := 0; r0 < rows; r0 += blk {
		r1 := min(r0+blk, rows)
		for c0 := 0; c0 < cols; c0 += blk {
			c1 := min(c0+blk, cols)
			for r := r0; r < r1; r++ {
				var b float32
				if bias != nil {
					b = bias[r]
				}
				dst := y[r*cols+c0 : r*cols+c1]
				src := yt[c0*rows+r:]
				for i := range dst {
					dst[i] = src[i*rows] + b
				}
			}
		}
	}
}

// convBiasEpi is the SGEMM epilogue that adds a per-row bias (output
// channel) to Y; hook is bound once so that Runs allocate nothing.
type convBiasEpi struct {
	ep   sgemm.Epilogue
	bias []float32
}

var convBiasEpis = sync.Pool{New: func() any {
	e := &convBiasEpi{}
	e.ep.Hook = e.hook
	return e
}}

func (e *convBiasEpi) hook(row []float32, i, _ int) {
	b := e.bias[i]
	for j := range row {
		row[j] += b
	}
}

// convDepthwise2D runs a 2-D convolution with one group per input channel
// through vecmath, split over images when there are several threads.
func convDepthwise2D(c *Ctx, g *convGeom, x, w, bias, y []float32) {
	win := vecmath.Window2D{H: int(g.in[0]), W: int(g.in[1]), KH: int(g.k[0]), KW: int(g.k[1]),
		SH: int(g.s[0]), SW: int(g.s[1]), DH: int(g.d[0]), DW: int(g.d[1]),
		PadT: int(g.pb[0]), PadL: int(g.pb[1]), PadB: max(int(g.pe[0]), 0), PadR: max(int(g.pe[1]), 0),
		OH: int(g.out[0]), OW: int(g.out[1])}
	mult := g.m / g.c
	if g.n <= 1 || c.Pool.Threads() <= 1 {
		vecmath.DepthwiseConv2D(y, x, w, bias, g.n, g.c, mult, &win)
		return
	}
	j := dwJobs.Get().(*dwJob)
	j.win, j.g, j.x, j.w, j.bias, j.y, j.mult = win, g, x, w, bias, y, mult
	c.Pool.For(g.n, 1, j.fn)
	j.g, j.x, j.w, j.bias, j.y = nil, nil, nil, nil, nil
	dwJobs.Put(j)
}

// dwJob splits a depthwise convolution over images; fn is bound once.
type dwJob struct {
	win           vecmath.Window2D
	g             *convGeom
	x, w, bias, y []float32
	mult          int
	fn            func(lo, hi int)
}

var dwJobs = sync.Pool{New: func() any {
	j := &dwJob{}
	j.fn = j.run
	return j
}}

func (j *dwJob) run(lo, hi int) {
	g := j.g
	xs, ys := g.c*g.inSize, g.m*g.outSize
	win := j.win
	vecmath.DepthwiseConv2D(j.y[lo*ys:hi*ys], j.x[lo*xs:hi*xs], j.w, j.bias, hi-lo, g.c, j.mult, &win)
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
