package kernels

import (
	"github.com/nncc/nncc/ir"
)

// Float32 image Resize: the common case of a float32 tensor whose resized
// axes are among its last two (NCHW upsampling and downsampling), done
// plane row by plane row without staging the whole tensor in float64 and
// split over the pool's threads when large. Results are bit-identical to
// the general path: interpolation still accumulates in float64 in the same
// order (the H axis first, then W) and rounds once.

// resizeFastGrain is the number of output elements worth a thread hand-off.
const resizeFastGrain = 1 << 14

// resizeFastPlan is the fast path's view of one set of taps: whether it
// applies (only the last two axes resized, no extrapolated coordinate; for
// nearest, every output coordinate maps to a source one), the plane sizes,
// the vertical and horizontal taps with identity axes filled in, and the
// nearest source maps. It is made once per remembered set of taps
// (resize_memo.go), not per Run.
type resizeFastPlan struct {
	ok                   bool
	inH, inW, outH, outW int
	tv, th               []resizeTap // vertical and horizontal taps
	my, mx               []int       // nearest: source row and column
	v, h                 resizeFlatTaps
}

// resizeFlatTaps is one axis' taps in flat arrays: every output position
// of an axis has the same number k of taps (the filter's support), so tap
// t of output o is input idx[o*k+t] with weight w[o*k+t].
type resizeFlatTaps struct {
	k   int
	idx []int32
	w   []float64
}

// flattenResizeTaps returns t as flat arrays, or k = 0 when the positions
// do not all have the same number of taps.
func flattenResizeTaps(t []resizeTap) resizeFlatTaps {
	if len(t) == 0 {
		return resizeFlatTaps{}
	}
	f := resizeFlatTaps{k: len(t[0].idx)}
	f.idx = make([]int32, 0, len(t)*f.k)
	f.w = make([]float64, 0, len(t)*f.k)
	for _, tap := range t {
		if len(tap.idx) != f.k || len(tap.w) != f.k {
			return resizeFlatTaps{}
		}
		for i, ix := range tap.idx {
			f.idx = append(f.idx, int32(ix))
			f.w = append(f.w, tap.w[i])
		}
	}
	return f
}

// newResizeFastPlan returns the fast plan of resizing an input of shape x
// to out with taps.
func newResizeFastPlan(cfg *resizeConfig, x, out []int64, taps [][]resizeTap) resizeFastPlan {
	r := len(x)
	if r < 2 {
		return resizeFastPlan{}
	}
	for a := 0; a < r-2; a++ {
		if taps[a] != nil {
			return resizeFastPlan{}
		}
	}
	for _, t := range taps[r-2:] {
		for _, tap := range t {
			if tap.extrapolate {
				return resizeFastPlan{}
			}
		}
	}
	inH, inW := int(x[r-2]), int(x[r-1])
	fp := resizeFastPlan{
		ok:  true,
		inH: inH, inW: inW, outH: int(out[r-2]), outW: int(out[r-1]),
		tv: resizeIdentityTaps(taps[r-2], inH), th: resizeIdentityTaps(taps[r-1], inW),
	}
	if cfg.filter.mode != "nearest" {
		fp.v, fp.h = flattenResizeTaps(fp.tv), flattenResizeTaps(fp.th)
	}
	if cfg.filter.mode == "nearest" {
		fp.my = resizeNearestMap(taps[r-2], inH)
		fp.mx = resizeNearestMap(taps[r-1], inW)
		for _, m := range [][]int{fp.my, fp.mx} {
			for _, v := range m {
				if v < 0 {
					return resizeFastPlan{}
				}
			}
		}
	}
	return fp
}

// resizeFastF32 resizes x into y by plan fp when the fast path applies and
// reports whether it did; false leaves y untouched for the general path.
func resizeFastF32(c *Ctx, fp *resizeFastPlan, x, y *ir.Tensor) bool {
	if !fp.ok || x.DType != ir.Float32 {
		return false
	}
	r := len(y.Shape)
	rows := int(ir.NumElements(y.Shape[:r-2])) * fp.outH
	if rows == 0 || fp.outW == 0 {
		return true
	}
	j := resizeFastJob{resizeFastPlan: fp, src: x.F32(), dst: y.F32()}
	if n := rows * fp.outW; c.Pool != nil && c.Pool.Threads() > 1 && n >= 2*resizeFastGrain {
		resizeFastJobs.For(c.Pool, rows, max(1, resizeFastGrain/fp.outW), j)
	} else {
		j.run(0, rows)
	}
	return true
}

// resizeIdentityTaps returns t, or the identity taps of an axis of length
// n when t is nil (the axis is not resized).
func resizeIdentityTaps(t []resizeTap, n int) []resizeTap {
	if t != nil {
		return t
	}
	t = make([]resizeTap, n)
	for i := range t {
		t[i] = resizeTap{idx: []int{i}, w: []float64{1}}
	}
	return t
}

// resizeFastJob is one fast Resize: output rows are numbered plane·outH+oy.
type resizeFastJob struct {
	*resizeFastPlan
	src, dst []float32
}

// resizeFastJobs recycles the parallel jobs of the fast path.
var resizeFastJobs = newJobPool((*resizeFastJob).run)

// run computes output rows [lo, hi).
func (j *resizeFastJob) run(lo, hi int) {
	if j.my != nil {
		j.nearestRows(lo, hi)
	} else {
		j.interpRows(lo, hi)
	}
}

// nearestRows gathers output rows [lo, hi): y[p,oy,ox] = x[p,my[oy],mx[ox]].
func (j *resizeFastJob) nearestRows(lo, hi int) {
	for row := lo; row < hi; row++ {
		p, oy := row/j.outH, row%j.outH
		src := j.src[(p*j.inH+j.my[oy])*j.inW:][:j.inW]
		dst := j.dst[row*j.outW:][:j.outW]
		for ox, sx := range j.mx {
			dst[ox] = src[sx]
		}
	}
}

// interpRows computes output rows [lo, hi) of a linear or cubic resize:
// t[ix] = Σ_k wv_k·x[p,iy_k,ix] in float64 over the row's vertical taps,
// then y[p,oy,ox] = float32(Σ_k wh_k·t[ix_k]) over the column's taps.
func (j *resizeFastJob) interpRows(lo, hi int) {
	if j.v.k == 2 && j.h.k == 2 {
		j.linearRows(lo, hi)
		return
	}
	buf, tmp := resizeRowBufs.get(j.inW)
	defer resizeRowBufs.put(buf)
	plane := j.inH * j.inW
	for row := lo; row < hi; row++ {
		p, oy := row/j.outH, row%j.outH
		src := j.src[p*plane:][:plane]
		clear(tmp)
		tv := j.tv[oy]
		for k, iy := range tv.idx {
			w := tv.w[k]
			s := src[iy*j.inW:][:len(tmp)]
			for i, v := range s {
				tmp[i] += w * float64(v)
			}
		}
		dst := j.dst[row*j.outW:][:len(j.th)]
		for ox, th := range j.th {
			acc := 0.0
			for k, ix := range th.idx {
				acc += th.w[k] * tmp[ix]
			}
			dst[ox] = float32(acc)
		}
	}
}

// resizeRowBufs recycles interpRows' float64 row of vertical sums.
var resizeRowBufs slicePool[float64]

// linearRows is interpRows for two taps on both axes (linear without
// antialiasing) over the flat taps, with the same float64 operations in
// the same order, so the results are bit-identical:
// t[ix] = (0 + wv0·x[p,iy0,ix]) + wv1·x[p,iy1,ix], then
// y[p,oy,ox] = float32((0 + wh0·t[ix0]) + wh1·t[ix1]).
func (j *resizeFastJob) linearRows(lo, hi int) {
	buf, tmp := resizeRowBufs.get(j.inW)
	defer resizeRowBufs.put(buf)
	plane := j.inH * j.inW
	hi0, hw := j.h.idx[:2*j.outW], j.h.w[:2*j.outW]
	for row := lo; row < hi; row++ {
		p, oy := row/j.outH, row%j.outH
		src := j.src[p*plane:][:plane]
		wv0, wv1 := j.v.w[2*oy], j.v.w[2*oy+1]
		r0 := src[int(j.v.idx[2*oy])*j.inW:][:len(tmp)]
		r1 := src[int(j.v.idx[2*oy+1])*j.inW:][:len(tmp)]
		for i := range tmp {
			a := 0.0
			a += wv0 * float64(r0[i])
			a += wv1 * float64(r1[i])
			tmp[i] = a
		}
		dst := j.dst[row*j.outW:][:j.outW]
		for ox := range dst {
			acc := 0.0
			acc += hw[2*ox] * tmp[hi0[2*ox]]
			acc += hw[2*ox+1] * tmp[hi0[2*ox+1]]
			dst[ox] = float32(acc)
		}
	}
}
