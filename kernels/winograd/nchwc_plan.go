package winograd

// nchwcPlan is the work split of one ConvNCHWc.Run, as plan is for
// Conv3x3: 4×4 output tiles numbered across images, tile rows and tile
// columns, grouped into blocks of tb tiles whose V (36·ld·cip) and M
// (36·ld·cop) stay in L2 from the input transform through the products to
// the output transform. With enough tiles per thread each thread claims
// whole blocks (with its own V and M); with fewer, the blocks run one
// after the other with each stage split over the threads (input transform
// by input blocks, products by ξ, output transform by output blocks), so
// that the transformed weights are streamed once, not once per thread.
type nchwcPlan struct {
	n, h, w, oh, ow int
	th, tw          int // tile rows and columns per image
	cip, cop        int
	tiles, tb       int // tiles in all, tiles per block
	blocks          int
	stage           bool
	workers, tasks  int
}

// nchwcAuxLen is the per-task buffer: one gathered 6×6×16 input window
// (edge tiles), one 4×4×16 output tile and its residual (edge tiles).
const nchwcAuxLen = 576 + 256 + 256

func (cv *ConvNCHWc) plan(n, h, w, threads int) nchwcPlan {
	p := nchwcPlan{n: n, h: h, w: w, cip: cv.cip, cop: cv.cop}
	p.oh, p.ow = cv.OutShape(h, w)
	if p.oh < 1 || p.ow < 1 || n < 1 {
		return p
	}
	p.th, p.tw = (p.oh+3)/4, (p.ow+3)/4
	p.tiles = n * p.th * p.tw
	tb := blockBytes / (4 * 36 * (p.cip + p.cop))
	tb = max(tb, p.cip*p.cop/(p.cip+p.cop))
	tb = min(max(tb, minBlock), maxBlock, p.tiles)
	p.blocks = (p.tiles + tb - 1) / tb
	p.workers, p.tasks = 1, 1
	switch {
	case threads <= 1:
	case p.tiles < stageTiles*threads:
		p.stage = true
		p.tasks = threads
		if p.tiles <= maxBlock {
			p.blocks = 1
		}
	default:
		if p.blocks < 4*threads {
			p.blocks = (p.blocks + threads - 1) / threads * threads
		}
		p.workers, p.tasks = threads, threads
	}
	p.tb = (p.tiles + p.blocks - 1) / p.blocks
	if p.tb > gemmRows {
		p.tb = roundRows(p.tb)
	}
	p.blocks = (p.tiles + p.tb - 1) / p.tb
	return p
}

// block returns the first tile and the tile count of block b, and ld,
// the count rounded up to whole micro-kernel row panels.
func (p *nchwcPlan) block(b int) (g0, nb, ld int) {
	g0 = b * p.tb
	nb = min(p.tb, p.tiles-g0)
	return g0, nb, roundRows(nb)
}

// blockLen is the scratch of one worker: V then M.
func (p *nchwcPlan) blockLen() int { return 36 * roundRows(p.tb) * (p.cip + p.cop) }

func (p *nchwcPlan) scratchLen() int { return p.workers*p.blockLen() + p.tasks*nchwcAuxLen }
