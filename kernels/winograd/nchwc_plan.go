package winograd

// nchwcPlan is the work split of one ConvNCHWc.Run, as plan is for
// Conv3x3: 4×4 output tiles numbered across images, tile rows and tile
// columns, grouped into blocks of at most tb tiles (whole row panels of
// the products) whose V (36·ld·cip) and M (36·ld·cop) stay in L2 from the
// input transform through the products to the output transform. With
// enough tiles per thread each thread claims whole blocks (with its own V
// and M); with fewer, the blocks run one after the other with each stage
// split over the threads (input transform by input blocks, products by ξ,
// output transform by output blocks; one pool loop, nchwcJob.runStages),
// so that the transformed weights are streamed once, not once per thread.
type nchwcPlan struct {
	n, h, w, oh, ow int
	th, tw          int // tile rows and columns per image
	cip, cop        int
	tiles, tb       int // tiles in all, most tiles per block
	panels, blocks  int // micro-kernel row panels (gemmRows tiles) in all, blocks
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
	// Blocks are runs of whole micro-kernel row panels, as many panels
	// each as can be (they differ by at most one), so that the product
	// rows have no edge tiles and the blocks the threads claim are of
	// one size: rounding a block size up to whole panels and dividing
	// again (the old split) turned ResNet's 196 tiles into 7 blocks of
	// 30 for two threads, one thread running 4 of the 7.
	p.panels = (p.tiles + gemmRows - 1) / gemmRows
	p.blocks = min(p.blocks, p.panels)
	p.tb = min((p.panels+p.blocks-1)/p.blocks*gemmRows, p.tiles)
	return p
}

// block returns the first tile and the tile count of block b, and ld,
// the count rounded up to whole micro-kernel row panels: block b holds
// panels [b·panels/blocks, (b+1)·panels/blocks).
func (p *nchwcPlan) block(b int) (g0, nb, ld int) {
	g0 = b * p.panels / p.blocks * gemmRows
	g1 := min((b+1)*p.panels/p.blocks*gemmRows, p.tiles)
	nb = g1 - g0
	return g0, nb, roundRows(nb)
}

// blockLen is the scratch of one worker: V then M.
func (p *nchwcPlan) blockLen() int { return 36 * roundRows(p.tb) * (p.cip + p.cop) }

func (p *nchwcPlan) scratchLen() int { return p.workers*p.blockLen() + p.tasks*nchwcAuxLen }
