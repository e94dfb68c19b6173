package kernels

import (
	"fmt"
	"sync"

	"github.com/nncc/nncc/kernels/isa"
)

// The flat form of a float32 2-D stride-1 convolution with a constant W
// (convFlat): the tile kernels of ConvTranspose's sub-pixel form
// (convt_phase.go) on the zero-bordered input.
//
// With the input bordered to hp × wq (pads added: wq = pl + iw + pr),
// output (oy, ox) reads P[c, oy + ky·dh, ox + kx·dw]; over the flat
// position j = oy·wq + ox that is P[c][j + ky·dh·wq + kx·dw], so row
// (c, ky, kx) of the right operand is the run of the bordered plane from
// that offset, read in place by the micro-kernel (no patch matrix, no
// packing), and
//
//	C[m, j] = Σ_{c,ky,kx} W[m, c, ky, kx]·P[c][j + ky·dh·wq + kx·dw]
//
// for j < oh·wq; the columns ox ≥ ow of each row are never stored. The
// store copies the rows into Y adding bias and residual; the activation
// runs over the planes. It pays where the GEMM forms' 64-wide tiles or
// their patch copies dominate: few output channels, small images.

// convFlatW is W in the tile kernel's layout: per group, 6-row panels of
// depth cg·kh·kw steps (rows past mg zero).
type convFlatW struct {
	a      [][]float32
	depth  int
	panels int
	tile   func(k, tiles int, a, x []float32, offs []int, c []float32, ldc int)
	half   func(k int, a, x []float32, offs []int, c []float32, ldc int)
	pad    convPadRowsFunc // the bordered copy's rows
}

// flatW returns W packed for the flat form (once); b is nil at Run.
func (k *convKernel) flatW(b *Build) *convFlatW {
	k.flOnce.Do(func() {
		group := k.spec.group
		mg := int(k.ws[0]) / group
		kk := len(k.w) / int(k.ws[0])
		f := &convFlatW{depth: kk, panels: (mg + 5) / 6, tile: convTPhaseTile(k.level), half: convTPhaseHalf(k.level), pad: convPadRows(k.level)}
		for gi := range group {
			wg := k.w[gi*mg*kk : (gi+1)*mg*kk]
			pack := func() []float32 {
				a := make([]float32, f.panels*6*kk)
				for m := range mg {
					pr := a[m/6*6*kk+m%6:]
					for p, v := range wg[m*kk : (m+1)*kk] {
						pr[6*p] = v
					}
				}
				return a
			}
			if b == nil {
				f.a = append(f.a, pack())
				continue
			}
			key := fmt.Sprintf("conv.flat6/%s/m%d/k%d", k.level, mg, kk)
			a := b.Prepacked(wg, key, pack)
			if len(a) != f.panels*6*kk {
				a = pack() // a stored panel that does not fit its key
			}
			f.a = append(f.a, a)
		}
		k.flw = f
	})
	return k.flw
}

// convFlatOK reports whether geometry g can run the flat form: 2-D,
// unit strides, pads not negative, not pointwise (that form reads X in
// place already), and a bounded scratch.
func convFlatOK(g *convGeom) bool {
	if len(g.in) != 2 || g.s[0] != 1 || g.s[1] != 1 || g.pointwise ||
		g.pb[0] < 0 || g.pb[1] < 0 || g.pe[0] < 0 || g.pe[1] < 0 {
		return false
	}
	// The bordered input and the output rows stay within
	// DefaultMaxElements (pads are attributes a hostile model sets to
	// anything).
	hp, wq := g.pb[0]+g.in[0]+g.pe[0], g.pb[1]+g.in[1]+g.pe[1]
	lim := int64(DefaultMaxElements)
	return wq <= lim && hp <= lim/max(wq, 1) && hp*wq <= lim/int64(max(g.c/g.group, g.m/g.group+6, 1))
}

// convFlatPlan is the flat form's plan of one geometry.
type convFlatPlan struct {
	wq, hp, n  int
	tiles, ldc int
	half       bool
	plane      int   // bordered values per channel
	offs       []int // per step (c, ky, kx): offset into the bordered planes
	pt, pl     int
	ih, iw, cg int
	oh, ow     int
}

func newConvFlatPlan(g *convGeom) *convFlatPlan {
	p := &convFlatPlan{pt: int(g.pb[0]), pl: int(g.pb[1]), ih: int(g.in[0]), iw: int(g.in[1]),
		cg: g.c / g.group, oh: int(g.out[0]), ow: int(g.out[1])}
	p.wq = p.pl + p.iw + int(g.pe[1])
	p.hp = p.pt + p.ih + int(g.pe[0])
	p.n = p.oh * p.wq
	p.tiles = (p.n + 63) / 64
	p.ldc = 64 * p.tiles
	p.half = p.n%64 != 0 && p.n%64 <= 32
	p.plane = p.hp * p.wq
	kh, kw, dh, dw := int(g.k[0]), int(g.k[1]), int(g.d[0]), int(g.d[1])
	for c := range p.cg {
		for ky := range kh {
			for kx := range kw {
				p.offs = append(p.offs, c*p.plane+ky*dh*p.wq+kx*dw)
			}
		}
	}
	return p
}

// xpLen is the bordered input's length: the planes and a margin for the
// columns of the last tile (read past the last plane, never stored).
func (p *convFlatPlan) xpLen() int { return p.cg*p.plane + p.ldc + p.wq }

// fill writes the bordered planes of one group's input planes x.
func (p *convFlatPlan) fill(pad convPadRowsFunc, xp, x []float32) {
	borderPlanes(pad, xp, x, p.cg, p.plane, p.ih, p.iw, p.wq, p.pt*p.wq, p.pl)
}

// flatPlan returns the flat plan of geometry g (cached for the last one).
func (k *convKernel) flatPlan(g *convGeom) *convFlatPlan {
	k.flMu.Lock()
	defer k.flMu.Unlock()
	if k.flPlan == nil || k.flGeom != g {
		k.flPlan, k.flGeom = newConvFlatPlan(g), g
	}
	return k.flPlan
}

// convFlatCost estimates one (image, group) product of the flat form in
// convCost's units: the tiles' padded multiply-adds (a last half tile
// counted 1.5 times: its FMAs wait on as many broadcasts) plus the copies
// (bordered input, output rows).
func convFlatCost(g *convGeom) int {
	cg, mg := g.c/g.group, g.m/g.group
	wq := int(g.pb[1] + g.in[1] + g.pe[1])
	hp := int(g.pb[0] + g.in[0] + g.pe[0])
	n := int(g.out[0]) * wq
	cols2 := (n + 63) / 64 * 128
	if r := n % 64; r != 0 && r <= 32 {
		cols2 = n/64*128 + 96
	}
	kk := cg * g.kSize
	return (mg+5)/6*6*cols2/2*kk + convCopyCost*(cg*hp*wq+mg*g.outSize)
}

// convFlatWins reports whether the flat form is chosen for g on level l
// (AVX-512 only: elsewhere the tile kernels are Go twins).
func convFlatWins(g *convGeom, l isa.Level) bool {
	if l != isa.AVX512 || !convFlatOK(g) {
		return false
	}
	f := convFlatCost(g)
	return f < convCost(g, convIm2col, l) && f < convCost(g, convPacked, l)
}

// runFlat runs the flat form over every (image, group) pair, the pairs
// split over the pool's threads when it is worth it.
func (k *convKernel) runFlat(c *Ctx, g *convGeom, x, bias, y, res []float32) {
	fw, p := k.flatW(nil), k.flatPlan(g)
	pairs := g.n * g.group
	mg := g.m / g.group
	per := p.xpLen() + fw.panels*6*p.ldc
	tasks := 1
	if threads := c.Pool.Threads(); threads > 1 && pairs > 1 && pairs*mg*g.outSize*p.cg*g.kSize >= convParMACs {
		tasks = min(threads, pairs)
	}
	buf := c.ScratchF32(per * tasks)
	j := convFlatJob{k: k, g: g, fw: fw, p: p, x: x, bias: bias, y: y, res: res, buf: buf, per: per, tasks: tasks}
	if tasks == 1 {
		j.pairs(0, pairs, buf)
		return
	}
	convFlatLoop.For(c.Pool, tasks, 1, j)
}

// convFlatJob is one Run of the flat form (recycled through jobPools).
type convFlatJob struct {
	k               *convKernel
	g               *convGeom
	fw              *convFlatW
	p               *convFlatPlan
	x, bias, y, res []float32
	buf             []float32
	per, tasks      int
}

var convFlatLoop = newJobPool(func(j *convFlatJob, lo, hi int) {
	pairs := j.g.n * j.g.group
	for t := lo; t < hi; t++ {
		j.pairs(t*pairs/j.tasks, (t+1)*pairs/j.tasks, j.buf[t*j.per:(t+1)*j.per])
	}
})

// pairs computes pairs [p0, p1) with buf (per values) as scratch.
func (j *convFlatJob) pairs(p0, p1 int, buf []float32) {
	g, p, fw := j.g, j.p, j.fw
	cg, mg, os := p.cg, g.m/g.group, g.outSize
	xp := buf[:p.xpLen()]
	cb := buf[len(xp):]
	full := p.tiles
	if p.half {
		full--
	}
	for pi := p0; pi < p1; pi++ {
		n, gi := pi/g.group, pi%g.group
		p.fill(fw.pad, xp, j.x[(n*g.c+gi*cg)*g.inSize:][:cg*g.inSize])
		a := fw.a[gi]
		for r := range fw.panels {
			ar := a[r*6*fw.depth:][:6*fw.depth]
			c := cb[r*6*p.ldc:]
			if full > 0 {
				fw.tile(fw.depth, full, ar, xp, p.offs, c, p.ldc)
			}
			if p.half {
				fw.half(fw.depth, ar, xp[64*full:], p.offs, c[64*full:], p.ldc)
			}
		}
		ys := j.y[(n*g.m+gi*mg)*os:][:mg*os]
		for m := range mg {
			var b float32
			if j.bias != nil {
				b = j.bias[gi*mg+m]
			}
			ym := ys[m*os:][:os]
			var rm []float32
			if j.res != nil {
				rm = j.res[(n*g.m+gi*mg+m)*os:][:os]
			}
			for oy := range p.oh {
				src := cb[m*p.ldc+oy*p.wq:][:p.ow]
				d := ym[oy*p.ow:][:p.ow]
				if rm != nil {
					rr := rm[oy*p.ow:][:p.ow]
					for i, v := range src {
						d[i] = v + b + rr[i]
					}
					continue
				}
				for i, v := range src {
					d[i] = v + b
				}
			}
		}
		j.k.act.apply(ys)
	}
}

// convFlatState is the flat form's part of convKernel.
type convFlatState struct {
	// noFlat turns the flat form's choice off: the environment variable
	// NNCC_CONV_FLAT=off (read at each build, for A/B measurements).
	noFlat bool

	flOnce sync.Once
	flw    *convFlatW
	flMu   sync.Mutex
	flGeom *convGeom
	flPlan *convFlatPlan
}
