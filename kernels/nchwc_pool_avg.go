package kernels

import (
	"math"
	"sync"

	"github.com/nncc/nncc/kernels/amd64"
)

// Average pooling in NCHWc with block 16 runs on the depthwise kernel
// (nchwc_depthwise.go): an output pixel is Σ (1/div)·x over its window's
// in-bounds taps, so the output plane is cut into rectangles of pixels
// with the same taps and the same divisor, each one kernel call whose
// every tap weight is the vector of 1/div. The result differs from
// "sum, then scale" by the rounding of the fused multiply-adds.

// poolAvgPlan is the rectangles of one input size.
type poolAvgPlan struct {
	regions []dwNCHWcRegion
	w       []float32 // one vector of 1/div per distinct divisor
	ps, rs  int       // input strides between pixels and rows of a rectangle
	yrs     int
	planeX  int // elements per input plane
	planeY  int
}

// poolAxisRun is a run of output coordinates along one axis reading the
// same number of taps at the same offset from their stride origin, with
// the same divisor factor.
type poolAxisRun struct{ o0, n, first, taps, div int }

// poolAxisRuns groups the output coordinates of one axis (taps: input
// coordinates read per output; cnt: taps inside the padded extent; s:
// stride) into runs.
func poolAxisRuns(taps [][]int, cnt []int, s int, incl bool) []poolAxisRun {
	var runs []poolAxisRun
	for o, t := range taps {
		r := poolAxisRun{o0: o, n: 1, taps: len(t), div: len(t)}
		if incl {
			r.div = cnt[o]
		}
		if len(t) > 0 {
			r.first = t[0]
		}
		if k := len(runs); k > 0 {
			q := &runs[k-1]
			if q.taps == r.taps && q.div == r.div && (r.taps == 0 || r.first == q.first+(o-q.o0)*s) {
				q.n++
				continue
			}
		}
		runs = append(runs, r)
	}
	return runs
}

// avgPlan builds the rectangles of g (block 16).
func (p *poolNCHWc) avgPlan(g *poolNCHWcGeom) *poolAvgPlan {
	sh, sw := int(p.wa.Strides[0]), int(p.wa.Strides[1])
	dh, dw := int(p.wa.Dilations[0]), int(p.wa.Dilations[1])
	pl := &poolAvgPlan{ps: sw * 16, rs: sh * g.w * 16, yrs: g.ow * 16, planeX: g.h * g.w * 16, planeY: g.oh * g.ow * 16}
	divs := map[int]int{} // divisor → weight offset
	px, py := make([]float32, pl.planeX), make([]float32, pl.planeY)
	var zero [16]float32
	rows, cols := poolAxisRuns(g.th, g.ch, sh, p.incl), poolAxisRuns(g.tw, g.cw, sw, p.incl)
	for _, rr := range rows {
		for _, cr := range cols {
			rg := dwNCHWcRegion{yoff: (rr.o0*g.ow + cr.o0) * 16, np: cr.n, nr: rr.n}
			if rr.taps > 0 && cr.taps > 0 {
				div := rr.div * cr.div
				wo, ok := divs[div]
				if !ok {
					wo = len(pl.w)
					divs[div] = wo
					inv := float32(0)
					if div > 0 {
						inv = 1 / float32(div)
					}
					for range 16 {
						pl.w = append(pl.w, inv)
					}
				}
				rg.xoff = (rr.first*g.w + cr.first) * 16
				for y := range rr.taps {
					for x := range cr.taps {
						rg.xo = append(rg.xo, (y*dh*g.w+x*dw)*16)
						rg.wo = append(rg.wo, wo)
					}
				}
			}
			pl.regions = append(pl.regions, rg)
		}
	}
	if len(pl.w) == 0 {
		pl.w = make([]float32, 16)
	}
	for i := range pl.regions {
		rg := &pl.regions[i]
		a := amd64.NCHWcDwArgs{X: px[rg.xoff:], W: pl.w, Y: py[rg.yoff:], Bias: zero[:], XOff: rg.xo, WOff: rg.wo,
			NP: rg.np, NR: rg.nr, PS: pl.ps, RS: pl.rs, YRS: pl.yrs}
		amd64.NCHWcDwCheck(&a) // every call shape, once
	}
	return pl
}

// poolAvgJob pools planes [lo, hi) through the depthwise kernel.
type poolAvgJob struct {
	pl   *poolAvgPlan
	mk   func(*amd64.NCHWcDwArgs)
	x, y []float32
}

// poolAvgJobs runs parallel average pools.
var poolAvgJobs = newJobPool((*poolAvgJob).run)

var poolAvgZeroBias [16]float32

func (j *poolAvgJob) run(lo, hi int) {
	pl := j.pl
	a := dwNCHWcArgs.Get().(*amd64.NCHWcDwArgs)
	defer dwNCHWcArgs.Put(a)
	*a = amd64.NCHWcDwArgs{W: pl.w, Bias: poolAvgZeroBias[:], PS: pl.ps, RS: pl.rs, YRS: pl.yrs}
	a.Lo, a.Hi = float32(math.Inf(-1)), float32(math.Inf(1))
	for it := lo; it < hi; it++ {
		xb, yb := j.x[it*pl.planeX:(it+1)*pl.planeX], j.y[it*pl.planeY:(it+1)*pl.planeY]
		for i := range pl.regions {
			rg := &pl.regions[i]
			a.X, a.Y = xb[rg.xoff:], yb[rg.yoff:]
			a.XOff, a.WOff, a.NP, a.NR = rg.xo, rg.wo, rg.np, rg.nr
			j.mk(a)
		}
	}
	*a = amd64.NCHWcDwArgs{}
}

// runAvg pools planes planes of x into y.
func (p *poolNCHWc) runAvg(c *Ctx, g *poolNCHWcGeom, x, y []float32, planes int) {
	j := poolAvgJob{pl: g.avg, mk: p.dwk, x: x, y: y}
	work := planes * g.oh * g.ow * int(p.wa.Kernel[0]*p.wa.Kernel[1]) * 16
	if c.Pool == nil || c.Pool.Threads() <= 1 || work < nchwcPoolParWork || planes < 2 {
		j.run(0, planes)
		return
	}
	poolAvgJobs.For(c.Pool, planes, 1, j)
}

// globalAvgNCHWc runs GlobalAveragePoolNCHWc (block 16) on the depthwise
// kernel: one pixel per plane whose H·W taps all weigh 1/(H·W).
type globalAvgNCHWc struct {
	mu   sync.Mutex
	hw   int
	taps *globalAvgTaps
}

type globalAvgTaps struct {
	xo, wo []int
	w      []float32
}

// tapsFor returns (and remembers) the tap lists of an H·W plane.
func (g *globalAvgNCHWc) tapsFor(hw int) *globalAvgTaps {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.taps != nil && g.hw == hw {
		return g.taps
	}
	t := &globalAvgTaps{xo: make([]int, hw), wo: make([]int, hw), w: make([]float32, 16)}
	for i := range t.xo {
		t.xo[i] = i * 16
	}
	for l := range t.w {
		t.w[l] = 1 / float32(hw)
	}
	amd64.NCHWcDwCheck(&amd64.NCHWcDwArgs{X: make([]float32, hw*16), W: t.w, Y: make([]float32, 16), Bias: poolAvgZeroBias[:],
		XOff: t.xo, WOff: t.wo, NP: 1, NR: 1, PS: 16, RS: 16, YRS: 16}) // the call shape, once
	g.taps, g.hw = t, hw
	return t
}

// run pools planes planes of hw pixels of x into y.
func (g *globalAvgNCHWc) run(mk func(*amd64.NCHWcDwArgs), x, y []float32, planes, hw int) {
	t := g.tapsFor(hw)
	a := dwNCHWcArgs.Get().(*amd64.NCHWcDwArgs)
	defer dwNCHWcArgs.Put(a)
	*a = amd64.NCHWcDwArgs{W: t.w, Bias: poolAvgZeroBias[:], XOff: t.xo, WOff: t.wo, NP: 1, NR: 1, PS: 16, RS: 16, YRS: 16}
	a.Lo, a.Hi = float32(math.Inf(-1)), float32(math.Inf(1))
	for p := range planes {
		a.X, a.Y = x[p*hw*16:(p+1)*hw*16], y[p*16:(p+1)*16]
		mk(a)
	}
	*a = amd64.NCHWcDwArgs{}
}
