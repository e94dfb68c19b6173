package kernels

import (
	"fmt"
	"math"
	"sync"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/amd64"
)

// nncc.DepthwiseConvNCHWc: Y = act(Conv(X, W, B)) with one filter per
// channel (group = C), X and Y in the blocked layout NCHWc (see
// ir/ops_nchwc_depthwise.go). In NCHWc a depthwise convolution is a
// vector operation per output pixel: the 16 channels of a block are the 16
// lanes, so each tap is one multiply-add of a weight vector with the input
// vector at the tap (amd64.NCHWcDwAVX512, twin amd64.NCHWcDwGo).
//
// Padding costs no copy: the output plane is cut into rectangles in which
// every pixel has the same set of in-bounds taps (a grid of row runs ×
// column runs: the border rows and columns one by one, the interior as one
// run), and each rectangle is one kernel call over exactly those taps. The
// rectangles are planned once per input size.
//
// Bias, ReLU and Clip are applied in registers (a clamp to [Lo, Hi]);
// other activations by fusedAct on each finished block. Weights are packed
// at build time as [block][kh][kw][16], zero past C, so the padding
// channels of the output hold zero (or the clamped zero) and are cleared
// after any other activation.
//
// Threads: the (image, block) planes are split over the pool when the
// convolution has at least nchwcDwParMACs multiply-adds.

func init() { Register(ir.FusedDomain, "DepthwiseConvNCHWc", buildDepthwiseConvNCHWc) }

// nchwcDwParMACs is the multiply-add count from which a depthwise
// convolution is split over the pool (a few µs of work on one core). A
// variable so that tests can split small convolutions.
var nchwcDwParMACs = 1 << 18

type dwNCHWc struct {
	c, cb int // channels and their blocks
	window2D
	w       []float32 // [cb][kh][kw][16]
	bias    []float32 // [cb][16], zero past C
	lo, hi  float32   // the clamp applied in registers
	act     fusedAct  // the activation applied after the kernel (none when clamped)
	mk      func(*amd64.NCHWcDwArgs)
	geomMu  sync.Mutex
	geomKey [2]int
	geom    *dwNCHWcGeom
	oshape  []int64
}

// dwNCHWcRegion is one kernel call per (image, block): NR×NP output pixels
// starting at output element yoff, reading the taps XOff/WOff from input
// element xoff of the block.
type dwNCHWcRegion struct {
	xoff, yoff int
	np, nr     int
	xo, wo     []int
}

// dwNCHWcGeom is a DepthwiseConvNCHWc resolved for one input size.
type dwNCHWcGeom struct {
	h, w, oh, ow int
	regions      []dwNCHWcRegion
}

func buildDepthwiseConvNCHWc(b *Build) (Func, error) {
	a := b.Attrs()
	if blk := a.Int("block", 0); blk != nchwcBlock16 {
		return nil, b.Errorf("block %d is not supported (the kernels implement block %d)", blk, nchwcBlock16)
	}
	k := &dwNCHWc{mk: nchwcDwKernel(b.Level), lo: float32(math.Inf(-1)), hi: float32(math.Inf(1))}
	var err error
	if k.act, err = parseFusedAct(b); err != nil {
		return nil, err
	}
	switch k.act.kind {
	case faRelu:
		k.lo, k.act = 0, fusedAct{}
	case faClip:
		k.lo, k.hi, k.act = k.act.p[0], k.act.p[1], fusedAct{}
	}
	wv := b.Node.In(1)
	if wv == nil || wv.Const == nil || wv.Const.DType != ir.Float32 || len(wv.Const.Shape) != 4 || wv.Const.Shape[1] != 1 {
		return nil, b.Errorf("weight W must be a float32 constant [C, 1, kh, kw]")
	}
	ws := wv.Const.Shape
	k.c = int(ws[0])
	k.cb = int(ir.NCHWcBlocks(int64(k.c), 16))
	win, err := parseWindow2D(b, a, int(ws[2]), int(ws[3]))
	if err != nil {
		return nil, err
	}
	k.window2D = win
	k.bias = make([]float32, k.cb*16)
	if bv := b.Node.In(2); bv != nil {
		if bv.Const == nil || bv.Const.DType != ir.Float32 || bv.Const.Len() != k.c {
			return nil, b.Errorf("bias B must be a float32 constant of %d values", k.c)
		}
		copy(k.bias, bv.Const.F32())
	}
	src := wv.Const.F32()
	key := fmt.Sprintf("nchwc.dw/b16/c%d/k%dx%d", k.c, k.kh, k.kw)
	k.w = b.Prepacked(src, key, func() []float32 { return k.pack(src) })
	if len(k.w) != k.cb*k.kh*k.kw*16 {
		k.w = k.pack(src) // a stored panel that does not fit its key
	}
	return k.run, nil
}

// pack lays W [C, 1, kh, kw] out as [cb][kh][kw][16], zero past C.
func (k *dwNCHWc) pack(w []float32) []float32 {
	taps := k.kh * k.kw
	out := make([]float32, k.cb*taps*16)
	for ch := range k.c {
		cb, l := ch/16, ch%16
		for t := range taps {
			out[(cb*taps+t)*16+l] = w[ch*taps+t]
		}
	}
	return out
}

// dwNCHWcRun is a run of consecutive output positions along one axis whose
// in-bounds taps are [k0, k1).
type dwNCHWcRun struct{ o0, n, k0, k1 int }

// dwNCHWcRuns splits out output positions of one axis (input size in, stride
// s, dilation d, leading pad p, kernel size kn) into runs of equal tap
// ranges.
func dwNCHWcRuns(out, in, s, d, p, kn int) []dwNCHWcRun {
	var runs []dwNCHWcRun
	for o := range out {
		base := o*s - p
		k0, k1 := 0, kn
		for k0 < kn && base+k0*d < 0 {
			k0++
		}
		for k1 > k0 && base+(k1-1)*d >= in {
			k1--
		}
		if k0 == k1 {
			k0, k1 = 0, 0
		}
		if n := len(runs); n > 0 && runs[n-1].k0 == k0 && runs[n-1].k1 == k1 {
			runs[n-1].n++
			continue
		}
		runs = append(runs, dwNCHWcRun{o0: o, n: 1, k0: k0, k1: k1})
	}
	return runs
}

// geometry resolves (and caches) the regions for input size h×w.
func (k *dwNCHWc) geometry(c *Ctx, h, w int) (*dwNCHWcGeom, error) {
	key := [2]int{h, w}
	k.geomMu.Lock()
	defer k.geomMu.Unlock()
	if k.geom != nil && k.geomKey == key {
		return k.geom, nil
	}
	dkh, dkw := (k.kh-1)*k.dh+1, (k.kw-1)*k.dw+1
	hp, wp := h+k.pt+k.pb, w+k.pl+k.pr
	if hp < dkh || wp < dkw {
		return nil, c.Errorf("padded input %dx%d is smaller than the dilated kernel %dx%d", hp, wp, dkh, dkw)
	}
	g := &dwNCHWcGeom{h: h, w: w, oh: (hp-dkh)/k.sh + 1, ow: (wp-dkw)/k.sw + 1}
	if _, err := ir.CheckedNumElements([]int64{int64(g.oh), int64(g.ow), 16}, DefaultMaxElements); err != nil {
		return nil, c.Errorf("output %dx%d is too large", g.oh, g.ow)
	}
	rows := dwNCHWcRuns(g.oh, h, k.sh, k.dh, k.pt, k.kh)
	cols := dwNCHWcRuns(g.ow, w, k.sw, k.dw, k.pl, k.kw)
	px, py := make([]float32, h*w*16), make([]float32, g.oh*g.ow*16)
	probe := amd64.NCHWcDwArgs{W: k.w[:k.kh*k.kw*16], Bias: k.bias[:16], PS: k.sw * 16, RS: k.sh * w * 16, YRS: g.ow * 16}
	for _, rr := range rows {
		for _, cr := range cols {
			rg := dwNCHWcRegion{yoff: (rr.o0*g.ow + cr.o0) * 16, np: cr.n, nr: rr.n}
			if rr.k0 < rr.k1 && cr.k0 < cr.k1 {
				ih := rr.o0*k.sh - k.pt + rr.k0*k.dh
				iw := cr.o0*k.sw - k.pl + cr.k0*k.dw
				rg.xoff = (ih*w + iw) * 16
				for y := rr.k0; y < rr.k1; y++ {
					for x := cr.k0; x < cr.k1; x++ {
						rg.xo = append(rg.xo, ((y-rr.k0)*k.dh*w+(x-cr.k0)*k.dw)*16)
						rg.wo = append(rg.wo, (y*k.kw+x)*16)
					}
				}
			}
			// Every call shape is checked once here; the runs reuse it.
			probe.X, probe.Y = px[rg.xoff:], py[rg.yoff:]
			probe.XOff, probe.WOff, probe.NP, probe.NR = rg.xo, rg.wo, rg.np, rg.nr
			amd64.NCHWcDwCheck(&probe)
			g.regions = append(g.regions, rg)
		}
	}
	k.geom, k.geomKey = g, key
	return g, nil
}

func (k *dwNCHWc) run(c *Ctx, in []*ir.Tensor) error {
	x := in[0]
	if x == nil || x.DType != ir.Float32 {
		return c.Errorf("input X must be float32")
	}
	xs := x.Shape
	if len(xs) != 5 || xs[1] != int64(k.cb) || xs[4] != 16 {
		return c.Errorf("input X has shape %v; expected NCHWc with %d channel blocks of 16", xs, k.cb)
	}
	g, err := k.geometry(c, int(xs[2]), int(xs[3]))
	if err != nil {
		return err
	}
	n := int(xs[0])
	out, err := c.OutputUninit(0, ir.Float32, k.outShape(n, g))
	if err != nil {
		return err
	}
	y := out.F32()
	if len(y) == 0 {
		return nil
	}
	j := dwNCHWcJob{k: k, g: g, x: x.F32(), y: y}
	items := n * k.cb
	macs := items * g.oh * g.ow * k.kh * k.kw * 16
	if c.Pool == nil || c.Pool.Threads() <= 1 || macs < nchwcDwParMACs || items < 2 {
		j.run(0, items)
		return nil
	}
	dwNCHWcJobs.For(c.Pool, items, 1, j)
	return nil
}

// outShape returns [n, cb, OH, OW, 16], reusing the last one made.
func (k *dwNCHWc) outShape(n int, g *dwNCHWcGeom) []int64 {
	k.geomMu.Lock()
	defer k.geomMu.Unlock()
	s := k.oshape
	if len(s) != 5 || s[0] != int64(n) || s[2] != int64(g.oh) || s[3] != int64(g.ow) {
		s = []int64{int64(n), int64(k.cb), int64(g.oh), int64(g.ow), 16}
		k.oshape = s
	}
	return s
}

// dwNCHWcJob computes (image, block) planes [lo, hi).
type dwNCHWcJob struct {
	k    *dwNCHWc
	g    *dwNCHWcGeom
	x, y []float32
}

// dwNCHWcJobs runs parallel depthwise convolutions.
var dwNCHWcJobs = newJobPool((*dwNCHWcJob).run)

// dwNCHWcArgs recycles kernel arguments (passed by pointer to a function
// value, they would otherwise escape on every call).
var dwNCHWcArgs = recycle.Pool{New: func() any { return new(amd64.NCHWcDwArgs) }}

func (j *dwNCHWcJob) run(lo, hi int) {
	k, g := j.k, j.g
	taps := k.kh * k.kw
	xp, yp := g.h*g.w*16, g.oh*g.ow*16
	a := dwNCHWcArgs.Get().(*amd64.NCHWcDwArgs)
	defer dwNCHWcArgs.Put(a)
	*a = amd64.NCHWcDwArgs{PS: k.sw * 16, RS: k.sh * g.w * 16, YRS: g.ow * 16, Lo: k.lo, Hi: k.hi}
	for it := lo; it < hi; it++ {
		cb := it % k.cb
		xb, yb := j.x[it*xp:(it+1)*xp], j.y[it*yp:(it+1)*yp]
		a.W, a.Bias = k.w[cb*taps*16:(cb+1)*taps*16], k.bias[cb*16:(cb+1)*16]
		for i := range g.regions {
			rg := &g.regions[i]
			a.X, a.Y = xb[rg.xoff:], yb[rg.yoff:]
			a.XOff, a.WOff, a.NP, a.NR = rg.xo, rg.wo, rg.np, rg.nr
			k.mk(a)
		}
		if k.act.kind != faNone {
			k.act.apply(yb)
		}
		if rem := k.c - cb*16; rem < 16 && (k.act.kind != faNone || k.lo > 0 || k.hi < 0) {
			for p := 0; p < len(yb); p += 16 {
				clear(yb[p+rem : p+16])
			}
		}
	}
	*a = amd64.NCHWcDwArgs{}
}
