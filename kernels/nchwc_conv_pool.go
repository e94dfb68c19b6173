package kernels

import (
	"sync"
	"sync/atomic"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/amd64"
)

// nncc.ConvMaxPoolNCHWc: Y = MaxPool(act(Conv(X, W, B))) in the blocked
// layout NCHWc (ir/ops_nchwc_convpool.go), without writing the
// convolution's output to memory.
//
// The pooled output rows of one image are cut into bands. For a band the
// convolution computes the rows its windows read into a per-thread scratch
// laid out [ocb][rows][OW][16] (the direct kernel of nchwc_conv.go: same
// packed weights, micro-kernel, epilogue and K chunking), and the band is
// pooled from there while it is in L1/L2: each pooled row's windows are
// max-reduced by the NCHWc row kernel (amd64.NCHWcMaxPoolAVX512) over the
// taps that lie inside the convolution output, so padded and ceil-mode
// windows just have fewer taps (max pooling ignores padding). When pooling
// windows overlap (ResNet's 3×3 stride-2 stem pool) consecutive bands share
// convolution rows: a band that follows its predecessor on the same thread
// moves the shared rows to the front of the scratch instead of computing
// them again, and computes only its new rows.
//
// Threads: the (image, output-block group, band) items are split over
// the pool from convPoolParMACs convolution multiply-adds, each thread with
// its own scratch, claiming items a few at a time in order so that most
// bands follow their predecessor. A small map (a classic CNN's later
// layers: a handful of pooled rows, one band by the byte budget) is still
// cut into at least convPoolMinItems items per image, by output-block
// group and then by rows, so that its step splits over two threads; a
// single thread loses nothing by it, as a following band keeps the rows
// it shares with its predecessor, and the weights of one group stay in
// cache over all its bands. A map that still gives fewer items than
// threads is cut into pieces instead (nchwc_conv_pool_pieces.go).

func init() { Register(ir.FusedDomain, "ConvMaxPoolNCHWc", buildConvMaxPoolNCHWc) }

// convPoolBandBytes is the scratch size a band of convolution rows aims
// at (per thread): small enough to stay in L2 next to the weights, large
// enough that the rows shared by overlapping windows are few.
// convPoolParMACs is the multiply-add count from which the step is split
// over threads: a quarter of nchwcParMACs, as items are claimed (a worker
// that comes late costs the caller only the publication) and the seed
// CNNs' first layers, 3.5-9 µs on one thread, split in two over two
// dedicated threads (TestConvPoolSplit: seed_cnn_cifar's 777K in 4.8 µs
// instead of 8.9, seed_cnn_mnist's 2×195K in 3.6 instead of 7.1, still
// 5.1 and 6.6 µs when the worker joins 2 µs late). Variables so that
// tests can force many bands and the parallel path on small shapes.
// convPoolMinItems is the fewest (group, band) items an image is cut
// into when its pooled rows allow.
var (
	convPoolBandBytes = 96 << 10
	convPoolParMACs   = 1 << 18
	convPoolMinItems  = 2
)

// ConvPoolMaxWindow is the most taps a pooling window of
// ConvMaxPoolNCHWc may have (the kernel lists every pooled row's taps;
// classic CNNs pool 2×2 or 3×3).
const ConvPoolMaxWindow = 64

type convPoolNCHWc struct {
	k      *convNCHWc
	wa     ir.WindowAttrs // the pooling window
	row    func(dst, src []float32, n, stride int, taps []int)
	mu     sync.Mutex
	key    [2]int64
	geom   *convPoolGeom
	shapes nchwcShapeCache
	pieces bool // small maps may be cut into pieces for parallel Runs (convPoolPiecesOn)
}

// convPoolBand is a run of pooled rows [p0, p1) whose windows read
// convolution rows [c0, c1).
type convPoolBand struct {
	p0, p1, c0, c1 int
	fresh          []nchwcTile // tiles of rows [c0, c1), pixels counted from row c0
	next           []nchwcTile // tiles of the rows the previous band did not compute
	keep           int         // rows shared with the previous band (next's rows start after them)
}

// convPoolRow is one pooled row's windows: the row kernel's taps for the
// interior columns [x0, x1) and each border column's own taps, as offsets
// from the window origin's scratch row r0 (the first convolution row read).
type convPoolRow struct {
	r0     int
	inner  []int
	border []convPoolCol
}

// convPoolCol is a border column's taps, with the column of its first tap.
type convPoolCol struct {
	ox, cx0 int
	taps    []int
}

// convPoolGeom is a ConvMaxPoolNCHWc resolved for one input size.
type convPoolGeom struct {
	cg     *nchwcConvGeom
	ph, pw int
	cw     int // convolution columns the windows read ([0, cw) ⊆ [0, OW): floor-mode pooling drops the rest)
	x0, x1 int // pooled columns whose windows lie wholly inside the convolution output
	rows   []convPoolRow
	bands  []convPoolBand
	maxR   int             // most convolution rows a band holds
	ybs    int             // scratch stride between output blocks: maxR·cw·16
	pieces []convPoolPiece // the cut of a small map for parallel Runs (nchwc_conv_pool_pieces.go); nil: bands only
	pbs    int             // scratch stride between output blocks of a piece
}

func buildConvMaxPoolNCHWc(b *Build) (Func, error) {
	p, err := newConvPoolNCHWc(b)
	if err != nil {
		return nil, err
	}
	return p.run, nil
}

// newConvPoolNCHWc parses and packs a ConvMaxPoolNCHWc node.
func newConvPoolNCHWc(b *Build) (*convPoolNCHWc, error) {
	if len(b.Node.Inputs) > 3 {
		return nil, b.Errorf("a residual input is not supported")
	}
	k, _, err := newConvNCHWc(b, false)
	if err != nil {
		return nil, err
	}
	pa := ir.NCHWcPoolAttrs(b.Attrs())
	ks := pa.Ints("kernel_shape", nil)
	if len(ks) != 2 {
		return nil, b.Errorf("pool_kernel_shape %v must have two values", ks)
	}
	p := &convPoolNCHWc{k: k, row: nchwcMaxPoolRow(b.Level), pieces: convPoolPiecesOn()}
	if p.wa, err = ir.ParseWindowAttrs(pa, 2, ks); err != nil {
		return nil, b.Errorf("pooling: %v", err)
	}
	if p.wa.AutoPad != "NOTSET" {
		return nil, b.Errorf("pooling: auto_pad must be resolved into pads")
	}
	if ks[0]*ks[1] > ConvPoolMaxWindow {
		return nil, b.Errorf("pooling window %v has more than %d taps", ks, ConvPoolMaxWindow)
	}
	return p, nil
}

// geometry resolves (and caches) the bands and windows for an input h×w.
func (p *convPoolNCHWc) geometry(c *Ctx, h, w int) (*convPoolGeom, error) {
	cg, err := p.k.geometry(c, h, w)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.geom != nil && p.key == [2]int64{int64(h), int64(w)} && p.geom.cg == cg {
		return p.geom, nil
	}
	g := &convPoolGeom{cg: cg}
	// Per axis: the convolution coordinates each pooled coordinate reads.
	axis := func(a, in int) (int, [][]int, error) {
		o, pb, _, err := p.wa.Axis(a, int64(in))
		if err != nil {
			return 0, nil, c.Errorf("pooling: %v", err)
		}
		taps := make([][]int, o)
		for oi := range int(o) {
			start := oi*int(p.wa.Strides[a]) - int(pb)
			for t := range int(p.wa.Kernel[a]) {
				if q := start + t*int(p.wa.Dilations[a]); q >= 0 && q < in {
					taps[oi] = append(taps[oi], q)
				}
			}
			if len(taps[oi]) == 0 {
				return 0, nil, c.Errorf("pooling window %d of axis %d lies wholly in the padding", oi, a)
			}
		}
		return int(o), taps, nil
	}
	var th, tw [][]int
	if g.ph, th, err = axis(0, cg.oh); err != nil {
		return nil, err
	}
	if g.pw, tw, err = axis(1, cg.ow); err != nil {
		return nil, err
	}
	// Only the columns some window reads are computed, and the scratch
	// rows are cw wide.
	for _, t := range tw {
		g.cw = max(g.cw, t[len(t)-1]+1)
	}
	ow := g.cw
	kw, sw := int(p.wa.Kernel[1]), int(p.wa.Strides[1])
	g.x0, g.x1 = g.pw, g.pw
	for ox := range g.pw {
		if len(tw[ox]) == kw && tw[ox][0] == ox*sw-int(p.wa.Pads[1]) {
			g.x0 = min(g.x0, ox)
			g.x1 = ox + 1
		}
	}
	// Window taps per pooled row, relative to (row r0, the column of the
	// window's first tap).
	tapsOf := func(rows, cols []int) []int {
		var t []int
		for _, r := range rows {
			for _, cx := range cols {
				t = append(t, ((r-rows[0])*ow+cx-cols[0])*16)
			}
		}
		return t
	}
	g.rows = make([]convPoolRow, g.ph)
	for oy := range g.ph {
		r := convPoolRow{r0: th[oy][0]}
		if g.x0 < g.x1 {
			r.inner = tapsOf(th[oy], tw[g.x0])
		}
		for ox := range g.pw {
			if ox < g.x0 || ox >= g.x1 {
				r.border = append(r.border, convPoolCol{ox: ox, cx0: tw[ox][0], taps: tapsOf(th[oy], tw[ox])})
			}
		}
		g.rows[oy] = r
	}
	// Bands of pooled rows, each reading at most maxR convolution rows.
	rowBytes := int(ir.NCHWcBlocks(int64(p.k.m), 16)) * g.cw * 16 * 4
	budget := max(convPoolBandBytes/rowBytes, 1)
	minBands := min(g.ph, (convPoolMinItems+len(p.k.groups)-1)/max(len(p.k.groups), 1))
	maxPooled := (g.ph + minBands - 1) / max(minBands, 1) // pooled rows per band at most
	span := func(p0, p1 int) (int, int) {                 // convolution rows read by pooled rows [p0, p1)
		lo, hi := th[p0][0], 0
		for oy := p0; oy < p1; oy++ {
			lo, hi = min(lo, th[oy][0]), max(hi, th[oy][len(th[oy])-1]+1)
		}
		return lo, hi
	}
	for p0 := 0; p0 < g.ph; {
		p1 := p0 + 1
		for p1 < g.ph && p1-p0 < maxPooled {
			if lo, hi := span(p0, p1+1); hi-lo > budget {
				break
			}
			p1++
		}
		c0, c1 := span(p0, p1)
		bd := convPoolBand{p0: p0, p1: p1, c0: c0, c1: c1}
		bd.fresh = p.k.tilesOf(cg, g.cw, c0, c1, c0)
		if n := len(g.bands); n > 0 {
			prev := g.bands[n-1]
			from := max(c0, prev.c1)
			bd.keep = max(0, prev.c1-c0)
			if c0 < prev.c0 {
				bd.keep = 0 // never with monotone windows; compute everything
				from = c0
			}
			bd.next = p.k.tilesOf(cg, g.cw, from, c1, c0)
		}
		g.maxR = max(g.maxR, c1-c0)
		g.bands = append(g.bands, bd)
		p0 = p1
	}
	g.ybs = g.maxR * g.cw * 16
	if p.pieces {
		p.cutPieces(g, th, tw)
	}
	p.geom, p.key = g, [2]int64{int64(h), int64(w)}
	return g, nil
}

// tilesOf returns balanced tiles (as nchwc_conv.go's geometry makes for a
// whole image) over the first cw columns of convolution rows [r0, r1),
// pixels numbered in rows cw wide, their q0 counted from the first pixel
// of row base.
func (k *convNCHWc) tilesOf(g *nchwcConvGeom, cw, r0, r1, base int) []nchwcTile {
	tiles := k.tilesRect(g, r0, r1, 0, cw)
	for t := range tiles {
		tiles[t].q0 += (r0 - base) * cw
	}
	return tiles
}

func (p *convPoolNCHWc) run(c *Ctx, in []*ir.Tensor) error {
	k := p.k
	x := in[0]
	if err := k.checkInput(c, x); err != nil {
		return err
	}
	xs := x.Shape
	g, err := p.geometry(c, int(xs[2]), int(xs[3]))
	if err != nil {
		return err
	}
	n := int(xs[0])
	ocb := int(ir.NCHWcBlocks(int64(k.m), 16))
	out, err := c.OutputUninit(0, ir.Float32, p.shapes.get(int64(n), int64(ocb), int64(g.ph), int64(g.pw), 16))
	if err != nil {
		return err
	}
	y := out.F32()
	if len(y) == 0 {
		return nil
	}
	cg := g.cg
	macs := n * cg.oh * cg.ow * ocb * 16 * len(cg.seg) * cg.k
	threads, items, bs := 1, n*len(k.groups)*len(g.bands), g.ybs
	pieces := false
	if c.Pool != nil && c.Pool.Threads() > 1 {
		switch {
		case macs < convPoolParMACs:
		case len(g.pieces) > len(g.bands) && (items < c.Pool.Threads() || convPoolPieceForce):
			threads, pieces = c.Pool.Threads(), true
			items, bs = n*len(k.groups)*len(g.pieces), g.pbs
		default:
			threads = c.Pool.Threads()
		}
	}
	padded := 0
	if k.pt|k.pl|k.pb|k.pr != 0 {
		padded = n * cg.imgX
	}
	scratch := c.ScratchF32(padded + threads*ocb*bs)
	xd := x.F32()
	if padded > 0 {
		k.padInput(c.Pool, cg, n, xd, scratch[:padded])
		xd = scratch[:padded]
	}
	j := convPoolJobs.Get().(*convPoolJob)
	*j = convPoolJob{p: p, g: g, x: xd, y: y, ocb: ocb, items: items, bs: bs, pieces: pieces, band: scratch[padded:], fn: j.fn}
	if threads == 1 {
		j.claim(0, 1)
	} else {
		j.grain = max(1, j.items/(4*threads))
		if pieces {
			j.grain = 1
		}
		c.Pool.For(threads, 1, j.fn)
	}
	*j = convPoolJob{fn: j.fn}
	convPoolJobs.Put(j)
	return nil
}

// convPoolJob computes items (image, group, band), item =
// (image·groups + group)·bands + band.
type convPoolJob struct {
	p            *convPoolNCHWc
	g            *convPoolGeom
	x, y, band   []float32
	ocb          int
	items, grain int
	bs           int  // scratch stride between output blocks (g.ybs, or g.pbs for pieces)
	pieces       bool // items are pieces (g.pieces), not bands
	next         atomic.Int64
	fn           func(lo, hi int)
}

// convPoolJobs recycles jobs, whose claim method is bound once so that
// handing it to the pool allocates nothing.
var convPoolJobs = recycle.Pool{New: func() any {
	j := &convPoolJob{}
	j.fn = j.claim
	return j
}}

// claim is the loop body of thread slot: it takes items grain at a time
// (all of them when grain is 0) and runs them with the slot's scratch.
func (j *convPoolJob) claim(slot, _ int) {
	s := j.band[slot*j.ocb*j.bs : (slot+1)*j.ocb*j.bs]
	a := nchwcArgs.Get().(*amd64.NCHWcConvArgs)
	defer nchwcArgs.Put(a)
	last := -1 // the item whose rows the scratch holds
	for {
		lo, hi := 0, j.items
		if j.grain > 0 {
			lo = int(j.next.Add(int64(j.grain))) - j.grain
			if lo >= j.items {
				return
			}
			hi = min(lo+j.grain, j.items)
		}
		for it := lo; it < hi; it++ {
			if j.pieces {
				j.piece(a, s, it)
				continue
			}
			j.item(a, s, it, last == it-1 && it%len(j.g.bands) != 0)
			last = it
		}
		if j.grain == 0 {
			return
		}
	}
}

// item computes the band of item it for its output-block group into
// scratch s and pools it into Y; follows says that s holds the previous
// band of the same image and group.
func (j *convPoolJob) item(a *amd64.NCHWcConvArgs, s []float32, it int, follows bool) {
	p, g := j.p, j.g
	k := p.k
	nb := len(g.bands)
	bd := &g.bands[it%nb]
	gi := (it / nb) % len(k.groups)
	n := it / (nb * len(k.groups))
	grp := &k.groups[gi]
	fb0, fb1 := grp.b0, grp.b0+grp.f // the group's output blocks
	tiles := bd.fresh
	if follows && bd.next != nil {
		tiles = bd.next
		if bd.keep > 0 {
			prev := &g.bands[it%nb-1]
			rs := g.cw * 16
			for f := fb0; f < fb1; f++ {
				blk := s[f*g.ybs:]
				copy(blk[:bd.keep*rs], blk[(bd.c0-prev.c0)*rs:(prev.c1-prev.c0)*rs])
			}
		}
	}
	j.convTiles(a, s, n, grp, g.ybs, tiles)
	// Pool the band's rows.
	sw := int(p.wa.Strides[1])
	for oy := bd.p0; oy < bd.p1; oy++ {
		r := &g.rows[oy]
		for f := fb0; f < fb1; f++ {
			src := s[f*g.ybs+(r.r0-bd.c0)*g.cw*16:]
			dst := j.y[((n*j.ocb+f)*g.ph+oy)*g.pw*16:]
			if g.x0 < g.x1 {
				cx := g.x0*sw - int(p.wa.Pads[1])
				p.row(dst[g.x0*16:g.x1*16], src[cx*16:], g.x1-g.x0, sw*16, r.inner)
			}
			for _, bc := range r.border {
				p.row(dst[bc.ox*16:bc.ox*16+16], src[bc.cx0*16:], 1, 0, bc.taps)
			}
		}
	}
}

// convTiles computes tiles of image n's convolution for group grp into
// scratch s (block stride ybs), as nchwcConvJob.run computes a run of
// tiles (K chunks outermost), then finishes them.
func (j *convPoolJob) convTiles(a *amd64.NCHWcConvArgs, s []float32, n int, grp *nchwcGroup, ybs int, tiles []nchwcTile) {
	k, cg := j.p.k, j.g.cg
	*a = amd64.NCHWcConvArgs{}
	a.S, a.YBS = cg.s, ybs
	a.X = j.x[n*cg.imgX:]
	a.F = grp.f
	yg := grp.b0 * ybs
	for s0 := 0; s0 < len(cg.seg); s0 += cg.chunkSegs {
		s1 := min(s0+cg.chunkSegs, len(cg.seg))
		cg.chunkArgs(a, grp, s0, s1)
		a.Bias, a.Relu = k.bias[grp.b0*16:(grp.b0+grp.f)*16], 0
		if s0 > 0 {
			a.Bias = nchwcZeroBias[:grp.f*16]
		}
		if s1 == len(cg.seg) && k.relu {
			a.Relu = 1
		}
		for t := range tiles {
			tl := &tiles[t]
			yo := yg + tl.q0*16
			a.Off, a.NP = tl.off, tl.np
			a.Y, a.Add = s[yo:], nil
			if s0 > 0 {
				a.Add = s[yo:]
			}
			k.mk(a)
		}
	}
	if k.act.kind != faNone || k.clamp != nil { // the micro-kernel clears padding channels (Mask)
		for t := range tiles {
			k.finish(s, yg+tiles[t].q0*16, ybs, grp, tiles[t].np)
		}
	}
}
