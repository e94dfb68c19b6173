package winograd

// plan is the work split of one Run: the output is cut into m×m tiles,
// numbered across images, tile rows and tile columns; consecutive tiles
// are grouped into blocks of tb, and each block is transformed, multiplied
// (a² products of tb×cin by cin×cout) and transformed back while its
// buffers V (a²·cin·tb) and M (a²·tb·cout) are still in cache.
type plan struct {
	n, h, w, oh, ow int
	th, tw          int // tile rows and columns per image
	m, a            int // output and input tile size
	cin, cout       int
	tiles, tb       int // tiles in all, tiles per block
	blocks          int
	stage           bool // blocks one at a time, each stage split over the pool
	workers         int  // V and M buffers (one per task, or one when stage)
	tasks           int  // parallel tasks, each with its own aux buffer
	auxLen          int  // per task: output tile, its intermediate, transform rows
}

// Tuning, measured on the ResNet-18 layer shapes (bench_test.go):
//   - blockBytes bounds a block's V and M buffers so that they stay in the
//     L2 cache between the input transform, the products and the output
//     transform;
//   - a block has at least minBlock tiles (the rows of each product; the
//     AVX-512 micro-kernel has 6), and at least cin·cout/(cin+cout), so
//     that the weights streamed per product are used often enough;
//   - with fewer than stageTiles tiles per thread, splitting blocks among
//     threads would have each thread stream all the transformed weights,
//     so the blocks run one at a time with the input transform split by
//     channels, the products by ξ and the output transform by channels.
const (
	blockBytes = 512 << 10
	minBlock   = 24
	maxBlock   = 240
	stageTiles = 36
)

// gemmRows is the row count of the SGEMM micro-kernels on amd64 (6×64
// AVX-512, 6×16 AVX2); blocks are rounded up to a multiple of it.
const gemmRows = 6

func (cv *Conv3x3) plan(n, h, w, threads int) plan {
	m, a := cv.v.m, cv.v.a
	p := plan{n: n, h: h, w: w, m: m, a: a, cin: cv.cin, cout: cv.cout}
	p.oh, p.ow = cv.OutShape(h, w)
	if p.oh < 1 || p.ow < 1 || n < 1 {
		return p
	}
	p.th, p.tw = (p.oh+m-1)/m, (p.ow+m-1)/m
	p.tiles = n * p.th * p.tw
	tb := blockBytes / (4 * a * a * (cv.cin + cv.cout))
	// Per block the products stream the transformed weights (a²·cin·cout)
	// once: keep that no larger than the block's V and M.
	tb = max(tb, cv.cin*cv.cout/(cv.cin+cv.cout))
	tb = min(max(tb, minBlock), maxBlock, p.tiles)
	p.blocks = (p.tiles + tb - 1) / tb
	p.workers, p.tasks = 1, 1
	switch {
	case threads <= 1:
	case p.tiles < stageTiles*threads:
		p.stage = true
		p.tasks = threads
		if p.tiles <= maxBlock { // one block: the weights are streamed once
			p.blocks = 1
		}
	default:
		if p.blocks < 4*threads { // balance: a multiple of threads blocks
			p.blocks = (p.blocks + threads - 1) / threads * threads
		}
		p.workers, p.tasks = threads, threads
	}
	p.tb = (p.tiles + p.blocks - 1) / p.blocks
	if p.tb > gemmRows { // whole micro-kernel row panels, no edge tiles
		p.tb = (p.tb + gemmRows - 1) / gemmRows * gemmRows
	}
	p.blocks = (p.tiles + p.tb - 1) / p.tb
	p.auxLen = 256 + 384 + (a+1)*(p.tw*m+2)
	return p
}

// ldMax is the row count of the largest block's products.
func (p *plan) ldMax() int { return roundRows(p.tb) }

// blockLen is the scratch of one worker: V then M.
func (p *plan) blockLen() int { return p.a * p.a * p.ldMax() * (p.cin + p.cout) }

func (p *plan) scratchLen() int { return p.workers*p.blockLen() + p.tasks*p.auxLen }
