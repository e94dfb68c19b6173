package kernels

import (
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// Channels-last image Resize: a float32 tensor [..., H, W, b] whose
// resized axes are among H and W and whose last axis b is not resized.
// That is the blocked layout NCHWc ([N, C/b, H, W, b], where the layout
// pass carries Resize through a region, passes/layout_nchwc_resize.go) and
// NHWC. Each output pixel is b contiguous channels blended (linear) or
// copied (nearest) from source pixels, so the work is whole vectors: for
// b = 16 on AVX-512 the assembly row kernel (kernels/amd64
// NCHWcResizeLinearRowAVX512) does one zmm register per pixel.
//
// Unlike the NCHW fast path (resize_fast.go), interpolation is float32
// (vertical blend, then horizontal), so results may differ from the
// general path by rounding; identity axes are never read with a weight
// (an infinite value in one channel never leaks into another).

// resizeLastAxisPlan is the channels-last path's view of one set of taps:
// whether it applies, the sizes, and per output row and column two source
// indices with float32 weights (linear) or one source index (nearest).
type resizeLastAxisPlan struct {
	ok                   bool
	nearest              bool
	inH, inW, outH, outW int
	b                    int // channels per pixel (the last axis)
	vIdx, hIdx           []int32
	vW, hW               []float32
	my, mx               []int
	row16                func(dst, r0, r1 []float32, ix []int32, wx []float32, wy0, wy1 float32)
}

// newResizeLastAxisPlan returns the channels-last plan of resizing x to
// out with taps for ISA level l, or ok false when it does not apply: some
// axis before H is resized, the last axis is resized, a coordinate
// extrapolates, or a linear/cubic axis has other than two taps per output
// (cubic, antialiased downscaling).
func newResizeLastAxisPlan(cfg *resizeConfig, l isa.Level, x, out []int64, taps [][]resizeTap) resizeLastAxisPlan {
	r := len(x)
	if r < 3 || taps[r-1] != nil || (taps[r-3] == nil && taps[r-2] == nil) {
		return resizeLastAxisPlan{}
	}
	for a := 0; a < r-3; a++ {
		if taps[a] != nil {
			return resizeLastAxisPlan{}
		}
	}
	for _, t := range taps[r-3 : r-1] {
		for _, tap := range t {
			if tap.extrapolate {
				return resizeLastAxisPlan{}
			}
		}
	}
	inH, inW := int(x[r-3]), int(x[r-2])
	p := resizeLastAxisPlan{ok: true, inH: inH, inW: inW, outH: int(out[r-3]), outW: int(out[r-2]), b: int(x[r-1])}
	if cfg.filter.mode == "nearest" {
		p.nearest = true
		p.my, p.mx = resizeNearestMap(taps[r-3], inH), resizeNearestMap(taps[r-2], inW)
		for _, m := range [][]int{p.my, p.mx} {
			for _, v := range m {
				if v < 0 {
					return resizeLastAxisPlan{}
				}
			}
		}
		return p
	}
	var ok1, ok2 bool
	p.vIdx, p.vW, ok1 = resizePairTaps(taps[r-3], inH)
	p.hIdx, p.hW, ok2 = resizePairTaps(taps[r-2], inW)
	if !ok1 || !ok2 {
		return resizeLastAxisPlan{}
	}
	if p.b == 16 {
		p.row16 = nchwcResizeLinearRow(l)
	}
	return p
}

// resizePairTaps returns an axis' taps as two source indices and two
// float32 weights per output position. An identity axis (nil taps) and
// one-tap positions read their source twice with half the weight each,
// which is exact: w/2 is exact and x·w/2 + x·w/2 = x·w, also for infinite
// x. ok is false when a position has more than two taps.
func resizePairTaps(t []resizeTap, n int) (idx []int32, w []float32, ok bool) {
	t = resizeIdentityTaps(t, n)
	idx, w = make([]int32, 2*len(t)), make([]float32, 2*len(t))
	for o, tap := range t {
		switch len(tap.idx) {
		case 1:
			idx[2*o], idx[2*o+1] = int32(tap.idx[0]), int32(tap.idx[0])
			w[2*o], w[2*o+1] = float32(tap.w[0]/2), float32(tap.w[0]/2)
		case 2:
			idx[2*o], idx[2*o+1] = int32(tap.idx[0]), int32(tap.idx[1])
			w[2*o], w[2*o+1] = float32(tap.w[0]), float32(tap.w[1])
		default:
			return nil, nil, false
		}
		if idx[2*o] < 0 || int(idx[2*o]) >= n || idx[2*o+1] < 0 || int(idx[2*o+1]) >= n {
			return nil, nil, false
		}
	}
	return idx, w, true
}

// resizeLastAxisF32 resizes x into y by plan p when it applies and reports
// whether it did; false leaves y untouched for the general path.
func resizeLastAxisF32(c *Ctx, p *resizeLastAxisPlan, x, y *ir.Tensor) bool {
	if !p.ok || x.DType != ir.Float32 {
		return false
	}
	r := len(y.Shape)
	rows := int(ir.NumElements(y.Shape[:r-3])) * p.outH
	rowLen := p.outW * p.b
	if rows == 0 || rowLen == 0 {
		return true
	}
	j := resizeLastAxisJob{resizeLastAxisPlan: p, src: x.F32(), dst: y.F32()}
	if n := rows * rowLen; c.Pool != nil && c.Pool.Threads() > 1 && n >= 2*resizeFastGrain {
		resizeLastAxisJobs.For(c.Pool, rows, max(1, resizeFastGrain/rowLen), j)
	} else {
		j.run(0, rows)
	}
	return true
}

// resizeLastAxisJob is one channels-last Resize: output rows are numbered
// plane·outH + oy, a row being outW pixels of b channels.
type resizeLastAxisJob struct {
	*resizeLastAxisPlan
	src, dst []float32
}

// resizeLastAxisJobs recycles the parallel jobs of the channels-last path.
var resizeLastAxisJobs = newJobPool((*resizeLastAxisJob).run)

// run computes output rows [lo, hi).
func (j *resizeLastAxisJob) run(lo, hi int) {
	inRow, outRow := j.inW*j.b, j.outW*j.b
	plane := j.inH * inRow
	b := j.b
	for row := lo; row < hi; row++ {
		p, oy := row/j.outH, row%j.outH
		src := j.src[p*plane:][:plane]
		dst := j.dst[row*outRow:][:outRow]
		if j.nearest {
			// y[p,oy,ox,:] = x[p,my[oy],mx[ox],:]; a row with the source
			// row of the previous one (upsampling) is a copy of it.
			if row > lo && oy > 0 && j.my[oy] == j.my[oy-1] {
				copy(dst, j.dst[(row-1)*outRow:][:outRow])
				continue
			}
			s := src[j.my[oy]*inRow:][:inRow]
			for ox, sx := range j.mx {
				copy(dst[ox*b:][:b], s[sx*b:][:b])
			}
			continue
		}
		r0 := src[int(j.vIdx[2*oy])*inRow:][:inRow]
		r1 := src[int(j.vIdx[2*oy+1])*inRow:][:inRow]
		wy0, wy1 := j.vW[2*oy], j.vW[2*oy+1]
		if j.row16 != nil {
			j.row16(dst, r0, r1, j.hIdx, j.hW, wy0, wy1)
			continue
		}
		amd64.NCHWcResizeLinearRowWidthGo(dst, r0, r1, j.hIdx, j.hW, wy0, wy1, b)
	}
}
