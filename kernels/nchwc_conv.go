package kernels

import (
	"fmt"
	"sync"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/amd64"
)

// nncc.ConvNCHWc: Y = act(Conv(X, W, B) + R) in the blocked layout NCHWc
// (see ir/ops_nchwc.go), by direct blocked convolution — no im2col, no
// packing of the input, no transposes.
//
// The work unit is a register tile: six output pixels (consecutive in the
// flattened OH·OW order, so a tile may span two output rows) × F
// consecutive 16-channel output blocks (F = 1..4, see nchwcGroupSizes),
// computed by one call
// of the micro-kernel (amd64.NCHWcConvAVX512, twin amd64.NCHWcConvGo). For
// each input channel it loads F weight vectors and broadcasts one input
// value per pixel: 6·F FMAs for F+6 loads. Each pixel has its own input
// offset, so strides, dilations and row-spanning tiles cost nothing in the
// loop. The inner loop runs over "segments" — one input block at one kernel
// tap — and the K channels inside a segment:
//
//	input   segment (icb, kh, kw)                         K    channel stride
//	NCHWc   icb·Hp·Wp·16 + (kh·dh·Wp + kw·dw)·16          16   1
//	NCHW    (kh·dh·Wp + kw·dw)                             C    Hp·Wp
//	NCHW    c·Hp·Wp + kh·dh·Wp  (when kw > C)              kw   dw
//
// The NCHW form serves a first layer with few channels (RGB, grey): it
// reads the model's input directly and writes NCHWc.
//
// Padding: when pads are non-zero the input is first copied into a
// zero-bordered scratch image (Hp = H+pads, Wp = W+pads), so the kernel
// never tests bounds. The copy is one pass over the input, small next to
// the K·taps multiply-adds per output value.
//
// Weights are packed at build time per group of F output blocks in the
// kernel's order [segment][k][f][16], zero for output channels past M.
// When C is not a multiple of 16, the segments of the last input block
// hold only its C%16 real channels (the micro-kernel's KT/NT operands), so
// the padding channels of an NCHWc input are never read. Output padding
// channels are set to zero by the micro-kernel (its lane Mask on a group's
// last block), and again after an activation it does not apply.
//
// Bias and ReLU (and the residual R) are applied by the micro-kernel;
// other activations on each finished tile while it is in L1: Clip by a
// one-pass clamp of the build's level, the rest by fusedAct (vecmath's
// branch-free vector forms: LeakyRelu or HardSwish branching on each
// value's sign cost more than the convolution itself).
//
// Threads: tiles of all images and groups are split over the pool when
// the convolution has at least nchwcParMACs multiply-adds, each thread
// claiming a few tiles at a time from a shared counter; smaller ones run
// on the calling thread, where a hand-off would cost more than it saves.

func init() { Register(ir.FusedDomain, "ConvNCHWc", buildConvNCHWc) }

// nchwcBlock16 is the only block the convolution kernels implement (the
// AVX-512 vector; the Go twin computes the same on any CPU).
const nchwcBlock16 = 16

// nchwcParMACs is the multiply-add count from which a convolution is
// split over the pool (about 10 µs on one AVX-512 core; a hand-off costs
// well under 1 µs). Session 2 saw 1M make seed_cnn_mnist 14% faster at
// two threads; the unactivated outputs it seemed to cause were a worker
// pool race (a stale worker claiming a chunk of the job being published,
// fixed with TestPoolStaleClaim), not this kernel.
const nchwcParMACs = 1 << 20

// nchwcGroup is a run of F consecutive output blocks starting at block b0,
// with its packed weights.
type nchwcGroup struct {
	b0, f int
	w     []float32
	mask  int // the micro-kernel's Mask: real lanes of the last block when M ends inside it, else 0
}

type convNCHWc struct {
	plain  bool // X is NCHW (rank 4)
	rowSeg bool // plain with kw > C: segments are (channel, kernel row), K runs along the row
	m, c   int  // output and input channels
	window2D
	groups  []nchwcGroup
	chunk   int       // input blocks per K chunk (0: all of them in one pass)
	bias    []float32 // ceil(M/16)*16, zero past M (nil input B: zeros)
	act     fusedAct
	relu    bool // act is ReLU, applied by the micro-kernel
	clamp   func(x []float32, lo, hi float32)
	lo, hi  float32 // act is Clip (clamp != nil): its bounds, applied in one pass
	mk      func(*amd64.NCHWcConvArgs)
	pad     convPadRowsFunc // the rows of the zero-bordered input copy
	tg      *nchwcTapGroups // the tap-group form (nchwc_conv_taps.go), nil when not taken
	geomMu  sync.Mutex
	geomKey [2]int64       // H, W of the cached geometry
	bgeom   *nchwcConvGeom // batchGeometry's last result, for bgeomOf and bgeomN images
	bgeomOf *nchwcConvGeom
	bgeomN  int
	geom    *nchwcConvGeom
	oshape  []int64 // the last output shape (shared, never modified)
}

// nchwcTile is a run of np (≤ 6) output pixels starting at flat pixel q0,
// with each pixel's input offset within one (padded) image.
type nchwcTile struct {
	q0, np int
	off    [amd64.NCHWcConvPixels]int
}

// nchwcConvGeom is a ConvNCHWc resolved for an input's spatial size.
type nchwcConvGeom struct {
	h, w, hp, wp, oh, ow int
	seg                  []int // segment offsets within one (padded) image
	tiles                []nchwcTile
	chunkSegs            int         // segments per K chunk (len(seg) when unchunked)
	run                  int         // tiles per work item
	k, s                 int         // channels per segment and their stride
	kt, nt               int         // the last nt segments have kt channels (C%16 of the last input block), not k
	imgX                 int         // elements per (padded) input image
	vtiles               []nchwcTile // the tap-group form's tiles over virtual pixels
}

func buildConvNCHWc(b *Build) (Func, error) {
	k, f, err := newConvNCHWc(b, true)
	if err != nil || f != nil {
		return f, err
	}
	if g, ok := k.tapGroupsEligible(); ok {
		k.tg = k.newTapGroups(b, b.Node.In(1).Const.F32(), g)
	}
	return k.run, nil
}

// newConvNCHWc parses and packs the convolution of a ConvNCHWc-shaped
// node (ConvNCHWc, ConvMaxPoolNCHWc). With wino set, a shape Winograd
// serves more quickly returns that Func instead of a kernel.
func newConvNCHWc(b *Build, wino bool) (*convNCHWc, Func, error) {
	a := b.Attrs()
	if blk := a.Int("block", 0); blk != nchwcBlock16 {
		return nil, nil, b.Errorf("block %d is not supported (the kernels implement block %d)", blk, nchwcBlock16)
	}
	k := &convNCHWc{mk: nchwcConvMicroKernel(b.Level), pad: convPadRows(b.Level)}
	var err error
	if k.act, err = parseFusedAct(b); err != nil {
		return nil, nil, err
	}
	if k.act.kind == faRelu {
		k.relu, k.act = true, fusedAct{}
	}
	if len(b.InTypes) == 0 || b.InTypes[0] == nil || !b.InTypes[0].RankKnown {
		return nil, nil, b.Errorf("input X must have a known rank")
	}
	switch len(b.InTypes[0].Shape) {
	case 4:
		k.plain = true
	case 5:
	default:
		return nil, nil, b.Errorf("input X must be NCHW or NCHWc, got %v", b.InTypes[0].Shape)
	}
	wv := b.Node.In(1)
	if wv == nil || wv.Const == nil || wv.Const.DType != ir.Float32 || len(wv.Const.Shape) != 4 {
		return nil, nil, b.Errorf("weight W must be a float32 constant [M, C, kh, kw]")
	}
	ws := wv.Const.Shape
	k.m, k.c = int(ws[0]), int(ws[1])
	win, err := parseWindow2D(b, a, int(ws[2]), int(ws[3]))
	if err != nil {
		return nil, nil, err
	}
	k.window2D = win
	ocb := int(ir.NCHWcBlocks(int64(k.m), 16))
	k.bias = make([]float32, ocb*16)
	if bv := b.Node.In(2); bv != nil {
		if bv.Const == nil || bv.Const.DType != ir.Float32 || bv.Const.Len() != k.m {
			return nil, nil, b.Errorf("bias B must be a float32 constant of %d values", k.m)
		}
		copy(k.bias, bv.Const.F32())
	}
	k.rowSeg = k.plain && k.kw > k.c
	if wino {
		if f := k.winograd(b, wv.Const.F32()); f != nil { // nchwc_winograd.go
			return nil, f, nil
		}
	}
	if k.act.kind == faClip {
		k.clamp, k.lo, k.hi, k.act = nchwcClamp(b.Level), k.act.p[0], k.act.p[1], fusedAct{}
	}
	k.pack(b, wv.Const.F32())
	k.chunk = nchwcChunkBlocks(k)
	return k, nil, nil
}

// nchwcGroupSizes returns the sizes F of the output-block groups of ocb
// blocks, in order: groups of 4, and a remainder of 3 or 2 rather than 1
// (a lone block keeps 6 accumulators, too few to hide the FMA latency: 65%
// of the 4-block rate against 90% or more for 2 and 3), so 5 blocks are
// 3+2 and 9 are 4+3+2.
func nchwcGroupSizes(ocb int) []int {
	var fs []int
	for ocb > 0 {
		f := min(ocb, 4)
		if ocb == 5 {
			f = 3
		}
		fs = append(fs, f)
		ocb -= f
	}
	return fs
}

// pack splits the output blocks into groups (nchwcGroupSizes) and packs
// each group's weights in the micro-kernel's order [segment][k][f][16]
// (through b.Prepacked, so a compiled artifact stores them).
func (k *convNCHWc) pack(b *Build, w []float32) {
	ocb := int(ir.NCHWcBlocks(int64(k.m), 16))
	b0 := 0
	for _, f := range nchwcGroupSizes(ocb) {
		key := fmt.Sprintf("nchwc.conv/b16t/plain%v/row%v/m%d/c%d/k%dx%d/blocks%d+%d", k.plain, k.rowSeg, k.m, k.c, k.kh, k.kw, b0, f)
		g := b.Prepacked(w, key, func() []float32 { return k.packGroup(w, b0, f) })
		if len(g) != k.groupLen(f) {
			// A stored group whose size does not fit its own key (a
			// crafted artifact): pack it again.
			g = k.packGroup(w, b0, f)
		}
		grp := nchwcGroup{b0: b0, f: f, w: g}
		if rem := k.m - (b0+f-1)*16; rem < 16 {
			grp.mask = 1<<rem - 1
		}
		k.groups = append(k.groups, grp)
		b0 += f
	}
}

// groupLen is the number of packed weights of a group of f output blocks.
func (k *convNCHWc) groupLen(f int) int {
	return k.kh * k.kw * k.c * f * 16 // real input channels only (blockK)
}

// blockK returns the real channels of input block ib (16, or C%16 for the
// last block when C is not a multiple of 16) of an NCHWc input.
func (k *convNCHWc) blockK(ib int) int { return min(16, k.c-ib*16) }

// packGroup packs output blocks [b0, b0+f).
func (k *convNCHWc) packGroup(w []float32, b0, f int) []float32 {
	taps := k.kh * k.kw
	icb, kk := int(ir.NCHWcBlocks(int64(k.c), 16)), 16
	if k.plain {
		icb, kk = 1, k.c
	}
	out := make([]float32, k.groupLen(f))
	i := 0
	if k.rowSeg {
		// [channel][kernel row][kernel column][f][16]
		for ic := range k.c {
			for t := range taps {
				for fb := range f {
					for l := range 16 {
						if oc := (b0+fb)*16 + l; oc < k.m {
							out[i] = w[(oc*k.c+ic)*taps+t]
						}
						i++
					}
				}
			}
		}
		return out
	}
	for ib := range icb {
		if !k.plain {
			kk = k.blockK(ib)
		}
		for t := range taps {
			for kc := range kk {
				ic := ib*16 + kc
				if k.plain {
					ic = kc
				}
				for fb := range f {
					for l := range 16 {
						oc := (b0+fb)*16 + l
						if oc < k.m && ic < k.c {
							out[i] = w[(oc*k.c+ic)*taps+t]
						}
						i++
					}
				}
			}
		}
	}
	return out
}

// geometry resolves (and caches) the layout for input spatial size h×w.
func (k *convNCHWc) geometry(c *Ctx, h, w int) (*nchwcConvGeom, error) {
	key := [2]int64{int64(h), int64(w)}
	k.geomMu.Lock()
	defer k.geomMu.Unlock()
	if k.geom != nil && k.geomKey == key {
		return k.geom, nil
	}
	g := &nchwcConvGeom{h: h, w: w, hp: h + k.pt + k.pb, wp: w + k.pl + k.pr}
	dkh, dkw := (k.kh-1)*k.dh+1, (k.kw-1)*k.dw+1
	// The padded image is materialised: bound it (pads and dilations come
	// from attributes, which a hostile model sets to anything).
	if _, err := ir.CheckedNumElements([]int64{int64(max(k.c, 16)), int64(g.hp), int64(g.wp)}, DefaultMaxElements); err != nil || dkh <= 0 || dkw <= 0 {
		return nil, c.Errorf("padded input %dx%d (pads %d,%d,%d,%d, dilated kernel %dx%d) is too large", g.hp, g.wp, k.pt, k.pl, k.pb, k.pr, dkh, dkw)
	}
	if g.hp < dkh || g.wp < dkw {
		return nil, c.Errorf("padded input %dx%d is smaller than the dilated kernel %dx%d", g.hp, g.wp, dkh, dkw)
	}
	g.oh, g.ow = (g.hp-dkh)/k.sh+1, (g.wp-dkw)/k.sw+1
	if k.tg != nil {
		// The tap-group form's last virtual pixel reads zero columns.
		g.wp = max(g.wp, (g.ow+k.tg.g-1)*k.sw)
	}
	pix, icb := 16, int(ir.NCHWcBlocks(int64(k.c), 16))
	g.k, g.s = 16, 1
	if k.plain {
		pix, icb = 1, 1
		g.k, g.s = k.c, g.hp*g.wp
	} else if kt := k.blockK(icb - 1); kt < 16 {
		g.kt, g.nt = kt, k.kh*k.kw
	}
	g.imgX = icb * g.hp * g.wp * 16
	if k.plain {
		g.imgX = k.c * g.hp * g.wp
	}
	if k.rowSeg {
		// Few channels, wide kernel rows: one segment per (channel,
		// kernel row), K = kw taps dw apart, so the loop is not a
		// segment switch per multiply-add.
		g.k, g.s = k.kw, k.dw
		for ic := range k.c {
			for y := range k.kh {
				g.seg = append(g.seg, ic*g.hp*g.wp+y*k.dh*g.wp)
			}
		}
	} else {
		for ib := range icb {
			for y := range k.kh {
				for x := range k.kw {
					g.seg = append(g.seg, ib*g.hp*g.wp*16+(y*k.dh*g.wp+x*k.dw)*pix)
				}
			}
		}
	}
	g.tiles = nchwcBalancedTiles(g.oh*g.ow, func(q int) int { return ((q/g.ow)*k.sh*g.wp + (q%g.ow)*k.sw) * pix })
	if k.tg != nil {
		owv := g.ow + k.tg.g - 1
		g.vtiles = nchwcBalancedTiles(g.oh*owv, func(q int) int { return (q/owv)*k.sh*g.wp + (q%owv)*k.sw })
	}
	g.chunkSegs, g.run = len(g.seg), 1
	if k.chunk > 0 {
		g.chunkSegs = k.chunk * k.kh * k.kw
		g.run = min(len(g.tiles), nchwcChunkTiles)
	}
	k.geom, k.geomKey = g, key
	return g, nil
}

// batchGeometry returns g (one output pixel per image) with its tiles
// running over the n images of the batch instead: pixel p of a tile is
// image q0+p, its input offset counted from the first image (cached for
// the last g and n).
func (k *convNCHWc) batchGeometry(g *nchwcConvGeom, n int) *nchwcConvGeom {
	k.geomMu.Lock()
	defer k.geomMu.Unlock()
	if k.bgeom != nil && k.bgeomOf == g && k.bgeomN == n {
		return k.bgeom
	}
	b := *g
	b.tiles = nchwcBalancedTiles(n, func(q int) int { return q*g.imgX + g.tiles[0].off[0] })
	if k.chunk > 0 {
		b.run = min(len(b.tiles), nchwcChunkTiles)
	}
	k.bgeom, k.bgeomOf, k.bgeomN = &b, g, n
	return &b
}

// nchwcBalancedTiles cuts npix pixels into ceil(npix/6) tiles whose sizes
// differ by at most one (so no call computes pixels it throws away),
// pixel q reading the input at off(q).
func nchwcBalancedTiles(npix int, off func(q int) int) []nchwcTile {
	nt := (npix + amd64.NCHWcConvPixels - 1) / amd64.NCHWcConvPixels
	tiles := make([]nchwcTile, 0, nt)
	q := 0
	for t := range nt {
		tl := nchwcTile{q0: q, np: npix / nt}
		if t < npix%nt {
			tl.np++
		}
		for p := range tl.np {
			tl.off[p] = off(q + p)
		}
		q += tl.np
		tiles = append(tiles, tl)
	}
	return tiles
}

// checkInput checks that x is a float32 tensor in the layout and with the
// channel count the convolution was built for.
func (k *convNCHWc) checkInput(c *Ctx, x *ir.Tensor) error {
	if x == nil || x.DType != ir.Float32 {
		return c.Errorf("input X must be float32")
	}
	xs := x.Shape
	wantC := int64(k.c)
	if !k.plain {
		wantC = ir.NCHWcBlocks(wantC, 16)
	}
	if len(xs) != 4+b2i(!k.plain) || xs[1] != wantC || (!k.plain && xs[4] != 16) {
		return c.Errorf("input X has shape %v; expected %d channels (blocks) in the layout the node was built for", xs, wantC)
	}
	return nil
}

func (k *convNCHWc) run(c *Ctx, in []*ir.Tensor) error {
	x := in[0]
	if err := k.checkInput(c, x); err != nil {
		return err
	}
	xs := x.Shape
	g, err := k.geometry(c, int(xs[2]), int(xs[3]))
	if err != nil {
		return err
	}
	n := int(xs[0])
	ocb := int(ir.NCHWcBlocks(int64(k.m), 16))
	oshape := k.outShape(n, ocb, g)
	var res []float32
	if r := tensorAt(in, 3); r != nil {
		if !sameShape(r.Shape, oshape) || r.DType != ir.Float32 {
			return c.Errorf("residual R has shape %v, expected %v", r.Shape, oshape)
		}
		res = r.F32()
	}
	out, err := c.OutputUninit(0, ir.Float32, oshape)
	if err != nil {
		return err
	}
	y := out.F32()
	if len(y) == 0 {
		return nil
	}
	if res != nil && &res[0] == &y[0] {
		return c.Errorf("BUG: output planned over the residual")
	}
	xd := x.F32()
	macs := n * g.oh * g.ow * ocb * 16 * len(g.seg) * g.k
	if k.tg != nil && (c.Pool == nil || c.Pool.Threads() <= 1 || macs < nchwcParMACs) {
		vlen := n * k.tg.g * g.oh * (g.ow + k.tg.g - 1) * 16
		buf := c.ScratchF32(n*g.imgX + vlen)
		k.runTapGroups(c.Pool, macs, g, n, xd, buf[:n*g.imgX], buf[n*g.imgX:], y, res)
		return nil
	}
	if g.hp != g.h || g.wp != g.w {
		xp := c.ScratchF32(n * g.imgX)
		k.padInput(c.Pool, g, n, xd, xp)
		xd = xp
	}
	if g.oh*g.ow == 1 && ocb == 1 && n > 1 {
		// One output pixel of one block per image: the images are the
		// tile's pixels (their outputs are 16 values apart, as pixels'
		// are), so one call keeps up to six accumulators busy instead of
		// one latency-bound chain per image.
		g, n = k.batchGeometry(g, n), 1
	}
	items := n * len(k.groups) * ((len(g.tiles) + g.run - 1) / g.run)
	if c.Pool == nil || c.Pool.Threads() <= 1 || macs < nchwcParMACs {
		j := nchwcConvJob{k: k, g: g, x: xd, y: y, r: res, ocb: ocb}
		j.run(0, items)
		return nil
	}
	j := nchwcConvJob{k: k, g: g, x: xd, y: y, r: res, ocb: ocb}
	nchwcConvJobs.ForClaimed(c.Pool, items, max(1, items/(8*c.Pool.Threads())), j)
	return nil
}

// nchwcArgs recycles micro-kernel arguments (passed by pointer to a
// function value, they would otherwise escape on every call).
var nchwcArgs = recycle.Pool{New: func() any { return new(amd64.NCHWcConvArgs) }}

// nchwcConvJobs runs parallel convolutions, items claimed a few at a time.
var nchwcConvJobs = newJobPool((*nchwcConvJob).run)

// outShape returns [n, ocb, OH, OW, 16], reusing the last one made (a
// steady-state Run allocates nothing).
func (k *convNCHWc) outShape(n, ocb int, g *nchwcConvGeom) []int64 {
	k.geomMu.Lock()
	defer k.geomMu.Unlock()
	s := k.oshape
	if len(s) != 5 || s[0] != int64(n) || s[1] != int64(ocb) || s[2] != int64(g.oh) || s[3] != int64(g.ow) {
		s = []int64{int64(n), int64(ocb), int64(g.oh), int64(g.ow), 16}
		k.oshape = s
	}
	return s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// padInput copies n images of x into the zero-bordered xp, padded row by
// padded row (only the border is cleared), split over the pool from
// nchwcPadParElems padded values.
func (k *convNCHWc) padInput(pool Pool, g *nchwcConvGeom, n int, x, xp []float32) {
	j := nchwcPadJob{k: k, g: g, x: x, xp: xp}
	rows := n * k.padPlanes() * g.hp
	if pool == nil || pool.Threads() <= 1 || n*g.imgX < nchwcPadParElems {
		j.rows(0, rows)
		return
	}
	nchwcPadJobs.For(pool, rows, max(1, rows/(4*pool.Threads())), j)
}

// nchwcPadParElems is the padded input size (values) from which the copy
// into the zero-bordered image is split over the pool (about 20 µs of
// copying; ResNet-18's stem and stride-2 layers pad 160K–200K values).
var nchwcPadParElems = 1 << 17

// padPlanes is the number of planes per image of the padded input: input
// blocks, or channels of a plain NCHW input.
func (k *convNCHWc) padPlanes() int {
	if k.plain {
		return k.c
	}
	return int(ir.NCHWcBlocks(int64(k.c), 16))
}

// nchwcPadJob writes padded rows [lo, hi) of all planes, row r being row
// r%hp of plane r/hp.
type nchwcPadJob struct {
	k     *convNCHWc
	g     *nchwcConvGeom
	x, xp []float32
}

// nchwcPadJobs runs parallel pad copies.
var nchwcPadJobs = newJobPool((*nchwcPadJob).rows)

func (j *nchwcPadJob) rows(lo, hi int) {
	k, g := j.k, j.g
	pix := 16
	if k.plain {
		pix = 1
	}
	for r := lo; r < hi; {
		p, y := r/g.hp, r%g.hp
		dst := j.xp[(p*g.hp+y)*g.wp*pix:]
		if y < k.pt || y >= k.pt+g.h {
			clear(dst[:g.wp*pix])
			r++
			continue
		}
		// The run of this plane's image rows in [r, hi), in one call.
		n := min(hi-r, k.pt+g.h-y)
		src := j.x[(p*g.h+y-k.pt)*g.w*pix:][:n*g.w*pix]
		k.pad(dst[:n*g.wp*pix], src, n, g.w*pix, g.wp*pix, k.pl*pix)
		r += n
	}
}

// nchwcConvJob computes work items [lo, hi): item = (image, group, tile).
type nchwcConvJob struct {
	k       *convNCHWc
	g       *nchwcConvGeom
	x, y, r []float32
	ocb     int
}

// run computes items [lo, hi). An item is a run of g.run tiles of one
// output-block group in one image; with K chunks (k.chunk > 0) each chunk
// of input blocks is applied to every tile of the run before the next, so
// the chunk's weights are read from cache g.run times instead of once
// per tile from memory, and the partial sums go through Y (the
// micro-kernel's Add operand).
func (j *nchwcConvJob) run(lo, hi int) {
	k, g := j.k, j.g
	runs := (len(g.tiles) + g.run - 1) / g.run
	ybs := g.oh * g.ow * 16
	imgY := j.ocb * ybs
	a := nchwcArgs.Get().(*amd64.NCHWcConvArgs)
	defer nchwcArgs.Put(a)
	*a = amd64.NCHWcConvArgs{}
	a.S, a.YBS = g.s, ybs
	post := k.act.kind != faNone || k.clamp != nil // the micro-kernel clears padding channels (Mask)
	var fin nchwcFinish
	defer fin.flush(k, j.y, ybs)
	r := lo % runs
	gi := (lo / runs) % len(k.groups)
	n := lo / (runs * len(k.groups))
	for it := lo; it < hi; it++ {
		grp := &k.groups[gi]
		t0, t1 := r*g.run, min((r+1)*g.run, len(g.tiles))
		a.F = grp.f
		a.X = j.x[n*g.imgX:]
		yg := n*imgY + grp.b0*ybs
		for s0 := 0; s0 < len(g.seg); s0 += g.chunkSegs {
			s1 := min(s0+g.chunkSegs, len(g.seg))
			g.chunkArgs(a, grp, s0, s1)
			a.Bias, a.Relu = k.bias[grp.b0*16:(grp.b0+grp.f)*16], 0
			if s0 > 0 {
				a.Bias = nchwcZeroBias[:grp.f*16]
			}
			if s1 == len(g.seg) && k.relu {
				a.Relu = 1
			}
			for t := t0; t < t1; t++ {
				tl := &g.tiles[t]
				yo := yg + tl.q0*16
				a.Off, a.NP = tl.off, tl.np
				a.Y, a.Add = j.y[yo:], nil
				if s0 > 0 {
					a.Add = j.y[yo:]
				} else if j.r != nil {
					a.Add = j.r[yo:]
				}
				k.mk(a)
			}
		}
		if post {
			// Tiles are consecutive pixels: the run extends the pending
			// one when it continues it in the same image and group.
			q0 := g.tiles[t0].q0
			np := g.tiles[t1-1].q0 + g.tiles[t1-1].np - q0
			if fin.grp == grp && fin.yo+fin.np*16 == yg+q0*16 && fin.np < nchwcFinishPixels {
				fin.np += np
			} else {
				fin.flush(k, j.y, ybs)
				fin = nchwcFinish{grp: grp, yo: yg + q0*16, np: np}
			}
		}
		if r++; r == runs {
			r = 0
			if gi++; gi == len(k.groups) {
				gi, n = 0, n+1
			}
		}
	}
}

// chunkArgs sets the segments, channel counts, packed weights and output
// lane mask of a for segments [s0, s1) of group grp. A chunk starts at an input block, so the
// tail block's segments (the last g.nt) are all in the last chunk.
func (g *nchwcConvGeom) chunkArgs(a *amd64.NCHWcConvArgs, grp *nchwcGroup, s0, s1 int) {
	wseg := g.k * grp.f * 16 // packed weights per full segment
	a.Seg, a.K, a.KT, a.NT, a.Mask = g.seg[s0:s1], g.k, g.kt, 0, grp.mask
	end := s1 * wseg
	if s1 == len(g.seg) {
		a.NT, end = g.nt, len(grp.w)
	}
	a.W = grp.w[s0*wseg : end]
}

// nchwcFinish is a run of finished pixels of one output-block group
// whose activation is pending (nchwcConvJob.run applies it to runs of
// tiles at once: per tile, the calls cost a third of a small
// convolution's activation).
type nchwcFinish struct {
	grp    *nchwcGroup // nil: nothing pending
	yo, np int
}

// nchwcFinishPixels bounds a pending run (48 pixels of four blocks are
// 12 KiB, still in L1).
const nchwcFinishPixels = 48

// flush applies the pending activation of f, if any.
func (f *nchwcFinish) flush(k *convNCHWc, y []float32, ybs int) {
	if f.grp != nil {
		k.finish(y, f.yo, ybs, f.grp, f.np)
		f.grp = nil
	}
}

// finish applies the activation the micro-kernel does not and clears the
// padding channels (which the activation may have made non-zero) of np
// pixels of group grp at y[yo:] (block stride ybs).
func (k *convNCHWc) finish(y []float32, yo, ybs int, grp *nchwcGroup, np int) {
	for f := range grp.f {
		row := y[yo+f*ybs : yo+f*ybs+np*16]
		switch {
		case k.clamp != nil:
			k.clamp(row, k.lo, k.hi)
		default:
			k.act.apply(row)
		}
		if rem := k.m - (grp.b0+f)*16; rem < 16 {
			for p := range np {
				clear(row[p*16+rem : p*16+16])
			}
		}
	}
}

// nchwcZeroBias is the bias of every K chunk after the first.
var nchwcZeroBias [4 * 16]float32

// nchwcChunkBytes is the packed-weight size of one output-block group from
// which its input blocks are applied in chunks (K blocking): above it the
// group's weights no longer stay in the 1 MiB L2 next to the input and
// were streamed from L3 once per tile (ResNet-18's 512×512×3×3 layer ran
// at 154 GFLOPS per CPU second). A chunk holds at most
// nchwcChunkTarget bytes of weights, and nchwcChunkTiles tiles share one
// pass over it. Variables so that tests can force chunking on small
// shapes.
var (
	nchwcChunkBytes  = 512 << 10
	nchwcChunkTarget = 128 << 10
	nchwcChunkTiles  = 16
)

// nchwcChunkBlocks returns the input blocks per K chunk of k, 0 when its
// groups are small enough to run in one pass (and for plain NCHW input,
// whose few channels are one segment block).
func nchwcChunkBlocks(k *convNCHWc) int {
	if k.plain || len(k.groups) == 0 {
		return 0
	}
	icb := int(ir.NCHWcBlocks(int64(k.c), 16))
	perBlock := k.kh * k.kw * 16 * 4 * 16 * 4 // bytes of one input block's weights, F = 4
	if icb*perBlock <= nchwcChunkBytes {
		return 0
	}
	return max(1, min(icb, nchwcChunkTarget/perBlock))
}
