package kernels

import (
	"math"
	"sync"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/vecmath"
)

// MaxPool, AveragePool and LpPool: sliding windows over the spatial axes
// of an [N, C, spatial...] tensor.
//
// 1-D and 2-D float32 MaxPool without Indices and 1-D and 2-D float32
// AveragePool (1-D as 2-D with one row) run tap by tap (vecmath.MaxPool2D, avgPool2DF32): for each kernel tap the
// outputs whose input lies inside the plane form a rectangle, so the inner
// loop is a strided row operation with no per-element index math; 3-D
// float32 pools each input depth slice so in 2-D and combines the slices
// (pool_3d.go). The other cases use the per-output tap lists below.
//
// A window is the Cartesian product of per-axis tap lists, so the
// geometry is precomputed per axis and output coordinate: which input
// coordinates the window reads (taps inside the input) and how many of
// its taps lie inside the padded extent (AveragePool's count_include_pad
// divisor).

func init() {
	Register("", "MaxPool", buildPool(poolMax))
	Register("", "AveragePool", buildPool(poolAvg))
	Register("", "LpPool", buildPool(poolLp))
}

const (
	poolMax = iota
	poolAvg
	poolLp
)

type poolSpec struct {
	kind            int
	wa              ir.WindowAttrs
	countIncludePad bool
	p               int64
	colMajor        bool              // storage_order 1 for MaxPool's indices
	vec             *vecmath.Routines // vector routines of the build's level

	mu    sync.Mutex
	xs    []int64
	cache *poolGeom
	jobs  recycle.Pool // *poolJob[T] of the dtype last run
}

// poolGeom is the geometry for one input shape.
type poolGeom struct {
	in, out []int64
	oshape  []int64 // [N, C, out...]
	inSize  int
	outSize int
	taps    [][][]int64 // [axis][out coord] → valid input coords
	padCnt  [][]int     // [axis][out coord] → taps inside the padded extent
	pb      []int64     // padding at the beginning of each axis

	// 1-D and 2-D float32 fast paths (nil/zero for other ranks).
	win    *vecmath.Window2D
	avgInv []float32 // AveragePool: per output position, 1/divisor (0 when empty)

	p3 *pool3D // 3-D float32 fast path (pool_3d.go), nil for other ranks
}

func buildPool(kind int) Builder {
	return func(b *Build) (Func, error) {
		a := b.Attrs()
		ks := a.Ints("kernel_shape", nil)
		if ks == nil {
			return nil, b.Errorf("kernel_shape is required")
		}
		wa, err := ir.ParseWindowAttrs(a, len(ks), ks)
		if err != nil {
			return nil, b.Errorf("%v", err)
		}
		s := &poolSpec{kind: kind, wa: wa, vec: b.Vec(), countIncludePad: a.Int("count_include_pad", 0) != 0,
			p: a.Int("p", 2), colMajor: a.Int("storage_order", 0) != 0}
		if so := a.Int("storage_order", 0); so != 0 && so != 1 {
			return nil, b.Errorf("storage_order %d must be 0 or 1", so)
		}
		if kind == poolLp && s.p <= 0 {
			return nil, b.Errorf("p %d must be positive", s.p)
		}
		f32 := func(c *Ctx, in []*ir.Tensor) error { return runPool[float32](c, s, in) }
		f64 := func(c *Ctx, in []*ir.Tensor) error { return runPool[float64](c, s, in) }
		half := nnViaF32(f32)
		return func(c *Ctx, in []*ir.Tensor) error {
			if in[0] == nil {
				return c.Errorf("input X is missing")
			}
			switch in[0].DType {
			case ir.Float32:
				return f32(c, in)
			case ir.Float64:
				return f64(c, in)
			case ir.Float16, ir.BFloat16:
				return half(c, in)
			case ir.Int8:
				if kind == poolMax {
					return runPool[int8](c, s, in)
				}
			case ir.Uint8:
				if kind == poolMax {
					return runPool[uint8](c, s, in)
				}
			}
			return c.Errorf("input X has unsupported dtype %v", in[0].DType)
		}, nil
	}
}

func (s *poolSpec) geom(c *Ctx, xs []int64) (*poolGeom, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cache != nil && sameShape(s.xs, xs) {
		return s.cache, nil
	}
	nsp := len(s.wa.Kernel)
	if len(xs) != nsp+2 {
		return nil, c.Errorf("input X has shape %v, expected rank %d for kernel_shape %v", xs, nsp+2, s.wa.Kernel)
	}
	g := &poolGeom{in: xs[2:], out: make([]int64, nsp), taps: make([][][]int64, nsp), padCnt: make([][]int, nsp), pb: make([]int64, nsp)}
	for a := range nsp {
		o, pb, pe, err := s.wa.Axis(a, xs[2+a])
		if err != nil {
			return nil, c.Errorf("%v", err)
		}
		g.out[a], g.pb[a] = o, pb
		if xs[0]*xs[1] == 0 {
			// No planes: no output element reads a tap, and the tap
			// tables (one entry per output position) are not built.
			continue
		}
		g.taps[a] = make([][]int64, o)
		g.padCnt[a] = make([]int, o)
		for oi := range o {
			g.taps[a][oi], g.padCnt[a][oi] = poolTaps(oi*s.wa.Strides[a]-pb, s.wa.Kernel[a], s.wa.Dilations[a], xs[2+a], pe)
		}
	}
	g.inSize, g.outSize = nnProd(g.in), nnProd(g.out)
	g.oshape = append([]int64{xs[0], xs[1]}, g.out...)
	if xs[0]*xs[1] == 0 {
		s.xs, s.cache = append([]int64{}, xs...), g
		return g, nil
	}
	if (nsp == 1 || nsp == 2) && g.pb[0] >= 0 && g.pb[nsp-1] >= 0 {
		g.win = s.window2D(g)
		if g.win.Check() != nil {
			g.win = nil
		}
		if g.win != nil && s.kind == poolAvg {
			// 1-D runs as 2-D with one row: its row axis has one tap.
			rowTaps, rowPad := func(int64) int { return 1 }, func(int64) int { return 1 }
			if nsp == 2 {
				rowTaps = func(oy int64) int { return len(g.taps[0][oy]) }
				rowPad = func(oy int64) int { return g.padCnt[0][oy] }
			}
			cols := nsp - 1
			g.avgInv = make([]float32, g.outSize)
			for oy := range int64(g.win.OH) {
				for ox := range g.out[cols] {
					div := rowTaps(oy) * len(g.taps[cols][ox])
					if s.countIncludePad {
						div = rowPad(oy) * g.padCnt[cols][ox]
					}
					if div > 0 {
						g.avgInv[int(oy)*int(g.out[cols])+int(ox)] = 1 / float32(div)
					}
				}
			}
		}
	}
	if nsp == 3 && s.kind != poolLp {
		g.p3 = newPool3D(s, g)
	}
	s.xs, s.cache = append([]int64{}, xs...), g
	return g, nil
}

// poolTaps returns the input positions start + k·d (k < kernel) of one
// output along one axis that lie in [0, in), and how many of the kernel's
// positions lie before in+padEnd (the divisor of count_include_pad). It
// visits only the taps inside the input, so a kernel of 2^33 taps over a
// padded input costs what its in-range taps cost.
func poolTaps(start, kernel, d, in, padEnd int64) ([]int64, int) {
	below := func(limit int64) int64 { return int64(vecmath.TapsBelow(int(start), int(kernel), int(d), int(limit))) }
	var taps []int64
	for k := below(0); k < below(in); k++ {
		taps = append(taps, start+k*d)
	}
	return taps, int(below(in + padEnd))
}

// window2D returns the 2-D window of the last two axes of a geometry
// (of a 1-D one as one row: H = OH = 1 and a 1-tap kernel along it).
func (s *poolSpec) window2D(g *poolGeom) *vecmath.Window2D {
	if len(g.in) == 1 {
		return &vecmath.Window2D{H: 1, W: int(g.in[0]), KH: 1, KW: int(s.wa.Kernel[0]), SH: 1, SW: int(s.wa.Strides[0]),
			DH: 1, DW: int(s.wa.Dilations[0]), PadL: int(g.pb[0]), OH: 1, OW: int(g.out[0])}
	}
	h, w := len(g.in)-2, len(g.in)-1
	return &vecmath.Window2D{H: int(g.in[h]), W: int(g.in[w]), KH: int(s.wa.Kernel[h]), KW: int(s.wa.Kernel[w]),
		SH: int(s.wa.Strides[h]), SW: int(s.wa.Strides[w]), DH: int(s.wa.Dilations[h]), DW: int(s.wa.Dilations[w]),
		PadT: int(g.pb[h]), PadL: int(g.pb[w]), OH: int(g.out[h]), OW: int(g.out[w])}
}

// poolParElems is the input size from which a pooling is split over the
// pool: below it (a small CNN's feature maps, tens of microseconds of
// work) waking a worker costs more than it saves, and the worker spinning
// afterwards on the sibling hyperthread slows the next kernels.
var poolParElems = 1 << 18 // a var so that tests can force the split

type poolElem interface {
	float32 | float64 | int8 | uint8
}

func poolLowest[T poolElem]() T {
	var z T
	switch p := any(&z).(type) {
	case *float32:
		*p = float32(math.Inf(-1))
	case *float64:
		*p = math.Inf(-1)
	case *int8:
		*p = math.MinInt8
	}
	return z
}

func runPool[T poolElem](c *Ctx, s *poolSpec, in []*ir.Tensor) error {
	x := in[0]
	g, err := s.geom(c, x.Shape)
	if err != nil {
		return err
	}
	shape := g.oshape
	out, err := c.OutputUninit(0, x.DType, shape)
	if err != nil {
		return err
	}
	var idx []int64
	if s.kind == poolMax && c.NumOutputs() > 1 {
		it, err := c.OutputUninit(1, ir.Int64, shape)
		if err != nil {
			return err
		}
		idx = it.I64()
	}
	if out.Len() == 0 {
		return nil
	}
	j, _ := s.jobs.Get().(*poolJob[T])
	if j == nil {
		j = &poolJob[T]{}
		j.fn = j.run
	}
	j.s, j.g, j.x, j.y, j.idx = s, g, ir.Data[T](x), ir.Data[T](out), idx
	planes := int(x.Shape[0] * x.Shape[1])
	if c.Pool.Threads() <= 1 || planes*g.inSize < poolParElems {
		j.run(0, planes)
	} else {
		c.Pool.For(planes, max(1, 4096/max(1, g.outSize)), j.fn)
	}
	j.x, j.y, j.idx = nil, nil, nil
	s.jobs.Put(j)
	return nil
}

// poolJob is one pooling call; fn (its run method, bound once) is the
// parallel loop body over [n, c] planes.
type poolJob[T poolElem] struct {
	s    *poolSpec
	g    *poolGeom
	x, y []T
	idx  []int64
	fn   func(lo, hi int)
}

func (j *poolJob[T]) run(lo, hi int) {
	g, s := j.g, j.s
	if x32, ok := any(j.x).([]float32); ok && g.win != nil && j.idx == nil && s.kind != poolLp {
		// 1-D or 2-D float32 without indices: tap-by-tap loops over rows.
		y32 := any(j.y).([]float32)
		xs, ys := x32[lo*g.inSize:hi*g.inSize], y32[lo*g.outSize:hi*g.outSize]
		if s.kind == poolMax {
			maxPool2DF32(s.vec, g.win, xs, ys, hi-lo)
		} else {
			avgPool2DF32(g, xs, ys, hi-lo)
		}
		return
	}
	if x32, ok := any(j.x).([]float32); ok && g.p3 != nil && j.idx == nil {
		y32 := any(j.y).([]float32)
		g.p3.run(s.kind, x32[lo*g.inSize:hi*g.inSize], y32[lo*g.outSize:hi*g.outSize], hi-lo)
		return
	}
	for pl := lo; pl < hi; pl++ {
		xp := j.x[pl*g.inSize : (pl+1)*g.inSize]
		yp := j.y[pl*g.outSize : (pl+1)*g.outSize]
		var ip []int64
		if j.idx != nil {
			ip = j.idx[pl*g.outSize : (pl+1)*g.outSize]
		}
		if s.kind == poolMax && len(g.in) == 2 && ip == nil {
			maxPool2D(g, xp, yp)
			continue
		}
		poolPlane(s, g, xp, yp, ip, int64(pl*g.inSize))
	}
}

// maxPool2DF32 is 2-D float32 max pooling without indices: the common
// non-overlapping 2×2 stride-2 window lying inside the plane in one pass
// over pairs of input rows, any other window through vecmath.MaxPool2D
// (tap by tap). Both propagate NaN, like numpy's max.
func maxPool2DF32(vec *vecmath.Routines, w *vecmath.Window2D, x, y []float32, planes int) {
	if w.KH != 2 || w.KW != 2 || w.SH != 2 || w.SW != 2 || w.DH != 1 || w.DW != 1 ||
		w.PadT != 0 || w.PadL != 0 || 2*w.OH > w.H || 2*w.OW > w.W {
		vecmath.MaxPool2D(y, x, planes, w)
		return
	}
	ps, os, iw, ow := w.H*w.W, w.OH*w.OW, w.W, w.OW
	if ow >= 8 {
		// Vector maxima of the two input rows, then of neighbouring
		// columns; the outputs are every other one of those. Rows are
		// done in chunks of maxPoolChunk outputs.
		bp := maxPoolBufs.Get().(*[4 * maxPoolChunk]float32)
		defer maxPoolBufs.Put(bp)
		buf := bp[:]
		for p := range planes {
			xp, yp := x[p*ps:(p+1)*ps], y[p*os:(p+1)*os]
			for oy := range w.OH {
				r0, r1 := xp[2*oy*iw:], xp[(2*oy+1)*iw:]
				for c0 := 0; c0 < ow; c0 += maxPoolChunk {
					n := min(maxPoolChunk, ow-c0)
					rm, pm := buf[:2*n], buf[2*maxPoolChunk:2*maxPoolChunk+2*n-1]
					vec.Binary(vecmath.MaxOp, rm, r0[2*c0:2*c0+2*n], r1[2*c0:2*c0+2*n])
					vec.Binary(vecmath.MaxOp, pm, rm[:2*n-1], rm[1:])
					d := yp[oy*ow+c0 : oy*ow+c0+n]
					for i := range d {
						d[i] = pm[2*i]
					}
				}
			}
		}
		return
	}
	for p := range planes {
		xp, yp := x[p*ps:(p+1)*ps], y[p*os:(p+1)*os]
		for oy := range w.OH {
			r0 := xp[2*oy*iw : 2*oy*iw+2*ow]
			r1 := xp[(2*oy+1)*iw : (2*oy+1)*iw+2*ow]
			d := yp[oy*ow : (oy+1)*ow]
			for ox := range d {
				a := r0[2*ox : 2*ox+2 : 2*ox+2]
				b := r1[2*ox : 2*ox+2 : 2*ox+2]
				d[ox] = max(a[0], a[1], b[0], b[1])
			}
		}
	}
}

// maxPoolChunk is the number of outputs of a row the vector 2×2 path
// handles per step (its buffer is 4× that).
const maxPoolChunk = 64

// maxPoolBufs recycles the vector 2×2 path's buffers: handed to the vector
// routines, a stack array would escape and be allocated per call.
var maxPoolBufs = recycle.Pool{New: func() any { return new([4 * maxPoolChunk]float32) }}

// avgPool2DF32 averages planes of x into y: for each kernel tap, the
// outputs whose input lies inside the plane form a rectangle, so the
// inner loop adds one strided input row into one output row; the sums are
// then scaled by the precomputed reciprocal divisors.
func avgPool2DF32(g *poolGeom, x, y []float32, planes int) {
	w := g.win
	ps, os := w.H*w.W, w.OH*w.OW
	for p := range planes {
		d := y[p*os : (p+1)*os]
		vecmath.SumPlane2D(d, x[p*ps:(p+1)*ps], w)
		inv := g.avgInv[:len(d)]
		for i := range d {
			d[i] *= inv[i]
		}
	}
}

// maxPool2D is 2-D max pooling without indices for the other element
// types, over the per-output tap lists.
func maxPool2D[T poolElem](g *poolGeom, x, y []T) {
	iw := int(g.in[1])
	low := poolLowest[T]()
	o := 0
	for oy := range g.out[0] {
		rows := g.taps[0][oy]
		for ox := range g.out[1] {
			cols := g.taps[1][ox]
			m := low
			for _, r := range rows {
				xr := x[int(r)*iw:]
				for _, cc := range cols {
					if v := xr[cc]; v > m || (v != v && m == m) { // NaN wins
						m = v
					}
				}
			}
			y[o] = m
			o++
		}
	}
}

// poolPlane pools one [spatial...] plane. base is the plane's flat offset
// in the whole input (for MaxPool's indices).
func poolPlane[T poolElem](s *poolSpec, g *poolGeom, x, y []T, ind []int64, base int64) {
	nsp := len(g.in)
	var oidx, taps, tidx = poolIdx[int64](nsp), poolIdx[[]int64](nsp), poolIdx[int](nsp)
	low := poolLowest[T]()
	for o := range g.outSize {
		empty := false
		padCnt := 1
		for a := range nsp {
			taps[a] = g.taps[a][oidx[a]]
			padCnt *= g.padCnt[a][oidx[a]]
			if len(taps[a]) == 0 {
				empty = true
			}
		}
		best, bestOff := low, int64(-1)
		var sum float64
		cnt := 0
		if !empty {
			clear(tidx)
			for {
				off := int64(0)
				for a := range nsp {
					off = off*g.in[a] + taps[a][tidx[a]]
				}
				v := x[off]
				switch s.kind {
				case poolMax:
					// NaN wins (as the vector paths' max): v != v only for NaN.
					if bestOff < 0 || v > best || (v != v && best == best) {
						best, bestOff = v, off
					}
				case poolAvg:
					sum += float64(v)
				case poolLp:
					sum += math.Pow(math.Abs(float64(v)), float64(s.p))
				}
				cnt++
				a := nsp - 1
				for ; a >= 0; a-- {
					tidx[a]++
					if tidx[a] < len(taps[a]) {
						break
					}
					tidx[a] = 0
				}
				if a < 0 {
					break
				}
			}
		}
		switch s.kind {
		case poolMax:
			y[o] = best
			if ind != nil {
				ind[o] = base + poolIndex(g, bestOff, s.colMajor)
			}
		case poolAvg:
			div := cnt
			if s.countIncludePad {
				div = padCnt
			}
			if div == 0 {
				y[o] = 0
			} else {
				y[o] = T(sum / float64(div))
			}
		case poolLp:
			y[o] = T(math.Pow(sum, 1/float64(s.p)))
		}
		nnIncIndex(oidx, g.out)
	}
}

// poolMaxRank is the spatial rank up to which poolPlane keeps its
// per-axis indices in fixed-size arrays.
const poolMaxRank = 8

// poolIdx returns n zero values of E: a fixed-size array's prefix when n
// is at most poolMaxRank, which stays on the caller's stack once inlined.
func poolIdx[E any](n int) []E {
	if n <= poolMaxRank {
		var a [poolMaxRank]E
		return a[:n]
	}
	return make([]E, n)
}

// poolIndex converts a row-major spatial offset to the storage order of
// MaxPool's Indices output.
func poolIndex(g *poolGeom, off int64, colMajor bool) int64 {
	if !colMajor || off < 0 {
		return max(off, 0)
	}
	nsp := len(g.in)
	coords := poolIdx[int64](nsp)
	for a := nsp - 1; a >= 0; a-- {
		coords[a] = off % g.in[a]
		off /= g.in[a]
	}
	r, stride := int64(0), int64(1)
	for a := range nsp {
		r += coords[a] * stride
		stride *= g.in[a]
	}
	return r
}
