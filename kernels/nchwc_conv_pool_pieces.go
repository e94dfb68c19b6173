package kernels

import (
	"os"

	"github.com/nncc/nncc/kernels/amd64"
)

// Pieces: how ConvMaxPoolNCHWc splits a map whose bands give fewer work
// items than threads (one image, one output-block group, one band: a
// late layer with a single pooled row, or a byte budget that holds the
// whole map), so that the step still uses the pool.
//
// The pooled output of each image and output-block group is cut into
// pieces: rectangles of pooled rows × pooled columns, near-equal in
// size, each computing its own convolution pixels (no rows are shared
// between pieces, so overlapping windows recompute the few rows or
// columns at piece edges) into a scratch laid out [ocb][rows][w][16] with
// w the piece's own convolution columns, and pooling them from there.
// Whole pooled rows are cut first (the micro-kernel's tiles run along
// them); columns only when the map has a single pooled row. Threads
// claim pieces one at a time. A piece keeps at least convPoolPiecePixels
// convolution pixels (two micro-kernel tiles), so the cut does not trade
// the kernel's efficiency for balance. Every output value is computed by
// the same micro-kernel sequence as on the serial path (the per-pixel
// accumulation order does not depend on the tiles), so results are bit
// for bit the same.
//
// Bands stay the cut wherever they give each thread an item: on two
// dedicated threads (TestConvPoolSplit, thread CPU time per item, the
// seed CNNs' layers) pieces cost 2-7% more CPU than bands (smaller
// items, more calls) and won only when the worker joined 5-10 µs late,
// while the worker's measured arrival in these loops on the shared
// machine (2026-11-29) was under 2 µs or over 50 µs, where bands win.

// convPoolPieceItems is the number of pieces an image is cut into (over
// all its output-block groups). convPoolPiecePixels is the fewest
// convolution pixels of a piece. convPoolPieceCols makes every cut with
// fewer rows than wanted cut columns too, and convPoolPieceForce makes
// every parallel Run that has pieces use them (tests). Variables so that
// tests can force pieces.
var (
	convPoolPieceItems  = 8
	convPoolPiecePixels = 2 * amd64.NCHWcConvPixels
	convPoolPieceCols   = false
	convPoolPieceForce  = false
)

// convPoolPiecesOn reports whether a ConvMaxPoolNCHWc being built may
// cut small maps into pieces: NNCC_CONVPOOL_PIECES=off (read at each
// build, like NNCC_NCHWC_WINOGRAD) keeps the bands, for A/B measurements
// of two sessions in one process.
func convPoolPiecesOn() bool { return os.Getenv("NNCC_CONVPOOL_PIECES") != "off" }

// convPoolPiece is pooled rows [p0, p1) × columns [pa, pb), computed from
// convolution rows [c0, c0+rows) × columns [ca, ca+w).
type convPoolPiece struct {
	p0, p1, pa, pb int
	c0, ca, w      int
	x0, x1         int           // pooled columns whose windows are whole (the row kernel's run)
	tiles          []nchwcTile   // q0 counted in the piece's layout (rows w wide)
	rows           []convPoolRow // pooled rows p0..p1-1: taps in the piece's layout, border columns' cx0 relative to ca
}

// cutPieces fills g.pieces and g.pbs from the pooling taps per axis
// (th, tw: the convolution rows and columns each pooled row and column
// reads).
func (p *convPoolNCHWc) cutPieces(g *convPoolGeom, th, tw [][]int) {
	k := p.k
	groups := max(len(k.groups), 1)
	want := (convPoolPieceItems + groups - 1) / groups
	want = min(want, g.cw*(th[g.ph-1][len(th[g.ph-1])-1]+1)/convPoolPiecePixels)
	if want < 2 {
		return
	}
	// Whole pooled rows first (the tiles run along them); columns are
	// cut only for a map of a single pooled row.
	nr, nc := min(g.ph, want), 1
	if nr == 1 || convPoolPieceCols {
		nc = min(g.pw, (want+nr-1)/nr)
	}
	if nr*nc < 2 {
		return
	}
	for ri := range nr {
		p0, p1 := ri*g.ph/nr, (ri+1)*g.ph/nr
		c0, c1 := th[p0][0], 0
		for oy := p0; oy < p1; oy++ {
			c0, c1 = min(c0, th[oy][0]), max(c1, th[oy][len(th[oy])-1]+1)
		}
		for ci := range nc {
			pa, pb := ci*g.pw/nc, (ci+1)*g.pw/nc
			ca, cb := tw[pa][0], 0
			for ox := pa; ox < pb; ox++ {
				ca, cb = min(ca, tw[ox][0]), max(cb, tw[ox][len(tw[ox])-1]+1)
			}
			pc := convPoolPiece{p0: p0, p1: p1, pa: pa, pb: pb, c0: c0, ca: ca, w: cb - ca}
			pc.x0, pc.x1 = max(pa, g.x0), min(pb, g.x1)
			if pc.x0 >= pc.x1 {
				pc.x0, pc.x1 = pb, pb
			}
			pc.tiles = k.tilesRect(g.cg, c0, c1, ca, cb)
			tapsOf := func(rows, cols []int) []int {
				var t []int
				for _, r := range rows {
					for _, cx := range cols {
						t = append(t, ((r-rows[0])*pc.w+cx-cols[0])*16)
					}
				}
				return t
			}
			for oy := p0; oy < p1; oy++ {
				r := convPoolRow{r0: th[oy][0]}
				if pc.x0 < pc.x1 {
					r.inner = tapsOf(th[oy], tw[pc.x0])
				}
				for ox := pa; ox < pb; ox++ {
					if ox < pc.x0 || ox >= pc.x1 {
						r.border = append(r.border, convPoolCol{ox: ox, cx0: tw[ox][0] - ca, taps: tapsOf(th[oy], tw[ox])})
					}
				}
				pc.rows = append(pc.rows, r)
			}
			g.pbs = max(g.pbs, (c1-c0)*pc.w*16)
			g.pieces = append(g.pieces, pc)
		}
	}
}

// tilesRect returns balanced tiles over convolution rows [r0, r1) ×
// columns [ca, cb), pixels numbered row by row in rows cb-ca wide from
// (r0, ca).
func (k *convNCHWc) tilesRect(g *nchwcConvGeom, r0, r1, ca, cb int) []nchwcTile {
	pix := 16
	if k.plain {
		pix = 1
	}
	w := cb - ca
	npix := (r1 - r0) * w
	if npix <= 0 {
		return nil
	}
	nt := (npix + amd64.NCHWcConvPixels - 1) / amd64.NCHWcConvPixels
	tiles := make([]nchwcTile, 0, nt)
	q := 0
	for t := range nt {
		tl := nchwcTile{q0: q, np: npix / nt}
		if t < npix%nt {
			tl.np++
		}
		for i := range tl.np {
			row, col := r0+(q+i)/w, ca+(q+i)%w
			tl.off[i] = (row*k.sh*g.wp + col*k.sw) * pix
		}
		q += tl.np
		tiles = append(tiles, tl)
	}
	return tiles
}

// piece computes piece item it (item = (image·groups + group)·pieces +
// piece) into scratch s (block stride g.pbs) and pools it into Y.
func (j *convPoolJob) piece(a *amd64.NCHWcConvArgs, s []float32, it int) {
	p, g := j.p, j.g
	k := p.k
	np := len(g.pieces)
	pc := &g.pieces[it%np]
	gi := (it / np) % len(k.groups)
	n := it / (np * len(k.groups))
	grp := &k.groups[gi]
	bs := g.pbs
	j.convTiles(a, s, n, grp, bs, pc.tiles)
	sw := int(p.wa.Strides[1])
	padL := int(p.wa.Pads[1])
	for oy := pc.p0; oy < pc.p1; oy++ {
		r := &pc.rows[oy-pc.p0]
		for f := grp.b0; f < grp.b0+grp.f; f++ {
			src := s[f*bs+(r.r0-pc.c0)*pc.w*16:]
			dst := j.y[((n*j.ocb+f)*g.ph+oy)*g.pw*16:]
			if pc.x0 < pc.x1 {
				cx := pc.x0*sw - padL - pc.ca
				p.row(dst[pc.x0*16:pc.x1*16], src[cx*16:], pc.x1-pc.x0, sw*16, r.inner)
			}
			for _, bc := range r.border {
				p.row(dst[bc.ox*16:bc.ox*16+16], src[bc.cx0*16:], 1, 0, bc.taps)
			}
		}
	}
}
