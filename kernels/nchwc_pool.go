package kernels

import (
	"math"
	"sync"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/amd64"
)

// nncc.MaxPoolNCHWc, nncc.AveragePoolNCHWc and nncc.GlobalAveragePoolNCHWc:
// 2-D pooling in the blocked layout NCHWc, where one window tap is a whole
// b-channel vector. Each output pixel is the maximum (or sum) of its
// window's vectors.
//
// The window geometry is resolved per axis as in pool_window.go: for each
// output coordinate, the input coordinates its taps read and the number of
// taps inside the padded extent (count_include_pad's divisor). Output rows
// whose window lies wholly inside the input, over the run of columns whose
// window does too, go to the row kernel (amd64.NCHWcMaxPoolAVX512 for
// block 16 on AVX-512: one vector max per tap); the border pixels loop
// over the listed taps in Go. NaN propagates through max like MaxPool's
// kernel. Average pooling with block 16 runs on the depthwise kernel
// (nchwc_pool_avg.go: Σ x/div by fused multiply-adds); with other blocks
// sums are taken tap by tap in (ky, kx) order and scaled by the
// reciprocal divisor, as AveragePool's kernel does.

func init() {
	Register(ir.FusedDomain, "MaxPoolNCHWc", buildPoolNCHWc(poolMax))
	Register(ir.FusedDomain, "AveragePoolNCHWc", buildPoolNCHWc(poolAvg))
	Register(ir.FusedDomain, "GlobalAveragePoolNCHWc", buildGlobalAvgNCHWc)
}

type poolNCHWc struct {
	kind   int
	blk    int
	wa     ir.WindowAttrs
	incl   bool // count_include_pad
	row    func(dst, src []float32, n, stride int, taps []int)
	dwk    func(*amd64.NCHWcDwArgs) // average pooling, block 16: the depthwise kernel (nchwc_pool_avg.go)
	mu     sync.Mutex
	key    [2]int64
	cache  *poolNCHWcGeom
	shapes nchwcShapeCache
}

// nchwcShapeCache returns an output shape, reusing the last one made so
// that steady-state Runs allocate nothing. Returned slices are shared:
// never modified.
type nchwcShapeCache struct {
	mu   sync.Mutex
	last []int64
}

func (c *nchwcShapeCache) get(dims ...int64) []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !sameShape(c.last, dims) {
		c.last = append([]int64(nil), dims...)
	}
	return c.last
}

// poolNCHWcGeom is the window geometry for one input size.
type poolNCHWcGeom struct {
	h, w, oh, ow int
	th, tw       [][]int // input rows / columns read by each output row / column
	ch, cw       []int   // taps inside the padded extent, per output row / column
	full         []int   // row kernel's taps (element offsets from the window origin)
	x0, x1       int     // output columns [x0, x1) whose window lies inside the input
	avg          *poolAvgPlan
}

func buildPoolNCHWc(kind int) Builder {
	return func(b *Build) (Func, error) {
		a := b.Attrs()
		p := &poolNCHWc{kind: kind, blk: int(a.Int("block", 0)), incl: a.Int("count_include_pad", 0) != 0}
		if p.blk <= 0 || p.blk > 64 {
			return nil, b.Errorf("block %d must be in 1..64", p.blk)
		}
		ks := a.Ints("kernel_shape", nil)
		if len(ks) != 2 {
			return nil, b.Errorf("kernel_shape %v must have two values", ks)
		}
		var err error
		if p.wa, err = ir.ParseWindowAttrs(a, 2, ks); err != nil {
			return nil, b.Errorf("%v", err)
		}
		if p.wa.AutoPad != "NOTSET" {
			return nil, b.Errorf("auto_pad must be resolved into pads")
		}
		if kind == poolMax && p.blk == 16 {
			p.row = nchwcMaxPoolRow(b.Level)
		}
		if kind == poolAvg && p.blk == 16 {
			p.dwk = nchwcDwKernel(b.Level)
		}
		return p.run, nil
	}
}

func (p *poolNCHWc) geom(c *Ctx, h, w int) (*poolNCHWcGeom, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cache != nil && p.key == [2]int64{int64(h), int64(w)} {
		return p.cache, nil
	}
	g := &poolNCHWcGeom{h: h, w: w}
	axis := func(a, in int) (int, [][]int, []int, error) {
		o, pb, pe, err := p.wa.Axis(a, int64(in))
		if err != nil {
			return 0, nil, nil, c.Errorf("%v", err)
		}
		taps, cnt := make([][]int, o), make([]int, o)
		for oi := range int(o) {
			start := oi*int(p.wa.Strides[a]) - int(pb)
			for k := range int(p.wa.Kernel[a]) {
				q := start + k*int(p.wa.Dilations[a])
				if q >= 0 && q < in {
					taps[oi] = append(taps[oi], q)
				}
				if q < in+int(pe) {
					cnt[oi]++
				}
			}
		}
		return int(o), taps, cnt, nil
	}
	var err error
	if g.oh, g.th, g.ch, err = axis(0, h); err != nil {
		return nil, err
	}
	if g.ow, g.tw, g.cw, err = axis(1, w); err != nil {
		return nil, err
	}
	kh, kw := int(p.wa.Kernel[0]), int(p.wa.Kernel[1])
	g.x0, g.x1 = g.ow, g.ow
	for ox := range g.ow {
		if len(g.tw[ox]) == kw && g.tw[ox][0] == ox*int(p.wa.Strides[1])-int(p.wa.Pads[1]) {
			g.x0 = min(g.x0, ox)
			g.x1 = ox + 1
		}
	}
	for ky := range kh {
		for kx := range kw {
			g.full = append(g.full, (ky*int(p.wa.Dilations[0])*w+kx*int(p.wa.Dilations[1]))*p.blk)
		}
	}
	if p.dwk != nil {
		g.avg = p.avgPlan(g)
	}
	p.cache, p.key = g, [2]int64{int64(h), int64(w)}
	return g, nil
}

func (p *poolNCHWc) run(c *Ctx, in []*ir.Tensor) error {
	x := in[0]
	if x == nil || x.DType != ir.Float32 || len(x.Shape) != 5 || x.Shape[4] != int64(p.blk) {
		return c.Errorf("input must be float32 NCHWc with block %d", p.blk)
	}
	s := x.Shape
	g, err := p.geom(c, int(s[2]), int(s[3]))
	if err != nil {
		return err
	}
	out, err := c.OutputUninit(0, ir.Float32, p.shapes.get(s[0], s[1], int64(g.oh), int64(g.ow), s[4]))
	if err != nil {
		return err
	}
	if g.avg != nil {
		p.runAvg(c, g, x.F32(), out.F32(), int(s[0]*s[1]))
		return nil
	}
	j := poolNCHWcJob{p: p, g: g, x: x.F32(), y: out.F32()}
	rows := int(s[0]*s[1]) * g.oh
	work := rows * g.ow * int(p.wa.Kernel[0]*p.wa.Kernel[1]) * p.blk
	if c.Pool == nil || c.Pool.Threads() <= 1 || work < nchwcPoolParWork {
		j.rows(0, rows)
		return nil
	}
	poolNCHWcJobs.ForClaimed(c.Pool, rows, max(1, rows/(4*c.Pool.Threads())), j)
	return nil
}

// nchwcPoolParWork is the number of vector-lane taps (output values ×
// window taps) from which NCHWc pooling is split over the pool by output
// rows: about 20 µs of work (ResNet-18's 3×3 max-pool has 29M and took
// 0.24 ms on one thread); a seed CNN's pools (tens of thousands) stay on
// the calling thread. A variable so that tests can split small pools.
var nchwcPoolParWork = 1 << 20

// poolNCHWcJob pools output rows [lo, hi) of all planes, row r being row
// r%oh of plane r/oh.
type poolNCHWcJob struct {
	p    *poolNCHWc
	g    *poolNCHWcGeom
	x, y []float32
}

// poolNCHWcJobs runs parallel pools, rows claimed a few at a time.
var poolNCHWcJobs = newJobPool((*poolNCHWcJob).rows)

func (j *poolNCHWcJob) rows(lo, hi int) {
	p, g, b := j.p, j.g, j.p.blk
	kh := int(p.wa.Kernel[0])
	for r := lo; r < hi; r++ {
		pl, oy := r/g.oh, r%g.oh
		xp := j.x[pl*g.h*g.w*b : (pl+1)*g.h*g.w*b]
		yp := j.y[pl*g.oh*g.ow*b : (pl+1)*g.oh*g.ow*b]
		lo, hi := 0, 0 // columns done by the row kernel
		if p.row != nil && len(g.th[oy]) == kh && g.x0 < g.x1 && g.th[oy][0] == oy*int(p.wa.Strides[0])-int(p.wa.Pads[0]) {
			lo, hi = g.x0, g.x1
			org := (g.th[oy][0]*g.w + g.tw[lo][0]) * b
			p.row(yp[(oy*g.ow+lo)*b:(oy*g.ow+hi)*b], xp[org:], hi-lo, int(p.wa.Strides[1])*b, g.full)
		}
		for ox := range g.ow {
			if ox >= lo && ox < hi {
				continue
			}
			p.pixel(g, xp, yp[(oy*g.ow+ox)*b:(oy*g.ow+ox+1)*b], oy, ox)
		}
	}
}

// pixel pools one output pixel over its listed taps.
func (p *poolNCHWc) pixel(g *poolNCHWcGeom, x, d []float32, oy, ox int) {
	b := p.blk
	if p.kind == poolMax {
		for l := range d {
			d[l] = float32(math.Inf(-1))
		}
		for _, iy := range g.th[oy] {
			for _, ix := range g.tw[ox] {
				s := x[(iy*g.w+ix)*b : (iy*g.w+ix+1)*b]
				for l := range d {
					d[l] = max(d[l], s[l])
				}
			}
		}
		return
	}
	clear(d)
	for _, iy := range g.th[oy] {
		for _, ix := range g.tw[ox] {
			s := x[(iy*g.w+ix)*b : (iy*g.w+ix+1)*b]
			for l := range d {
				d[l] += s[l]
			}
		}
	}
	div := len(g.th[oy]) * len(g.tw[ox])
	if p.incl {
		div = g.ch[oy] * g.cw[ox]
	}
	inv := float32(0)
	if div > 0 {
		inv = 1 / float32(div)
	}
	for l := range d {
		d[l] *= inv
	}
}

func buildGlobalAvgNCHWc(b *Build) (Func, error) {
	blk := int(b.Attrs().Int("block", 0))
	if blk <= 0 || blk > 64 {
		return nil, b.Errorf("block %d must be in 1..64", blk)
	}
	shapes := &nchwcShapeCache{}
	var dwk func(*amd64.NCHWcDwArgs) // block 16: the depthwise kernel (nchwc_pool_avg.go)
	gap := &globalAvgNCHWc{}
	if blk == 16 {
		dwk = nchwcDwKernel(b.Level)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x := in[0]
		if x == nil || x.DType != ir.Float32 || len(x.Shape) != 5 || x.Shape[4] != int64(blk) {
			return c.Errorf("input must be float32 NCHWc with block %d", blk)
		}
		s := x.Shape
		out, err := c.OutputUninit(0, ir.Float32, shapes.get(s[0], s[1], 1, 1, s[4]))
		if err != nil {
			return err
		}
		xd, yd := x.F32(), out.F32()
		hw := int(s[2] * s[3])
		if dwk != nil && hw > 0 {
			gap.run(dwk, xd, yd, int(s[0]*s[1]), hw)
			return nil
		}
		inv := float32(0)
		if hw > 0 {
			inv = 1 / float32(hw)
		}
		for pl := range int(s[0] * s[1]) {
			d := yd[pl*blk : (pl+1)*blk]
			clear(d)
			xp := xd[pl*hw*blk : (pl+1)*hw*blk]
			for q := range hw {
				v := xp[q*blk : (q+1)*blk]
				for l := range d {
					d[l] += v[l]
				}
			}
			for l := range d {
				d[l] *= inv
			}
		}
		return nil
	}, nil
}
