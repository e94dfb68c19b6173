package kernels

import "github.com/nncc/nncc/ir"

// Float32 image Resize: the common case of a float32 tensor whose resized
// axes are among its last two (NCHW upsampling and downsampling), done
// plane row by plane row without staging the whole tensor in float64 and
// split over the pool's threads when large. Results are bit-identical to
// the general path: interpolation still accumulates in float64 in the same
// order (the H axis first, then W) and rounds once.

// resizeFastGrain is the number of output elements worth a thread hand-off.
const resizeFastGrain = 1 << 14

// resizeFastF32 resizes x into y when the fast path applies and reports
// whether it did; false leaves y untouched for the general path.
func resizeFastF32(c *Ctx, cfg *resizeConfig, x, y *ir.Tensor, taps [][]resizeTap) bool {
	r := len(x.Shape)
	if x.DType != ir.Float32 || r < 2 {
		return false
	}
	for a := 0; a < r-2; a++ {
		if taps[a] != nil {
			return false
		}
	}
	for _, t := range taps[r-2:] {
		for _, tap := range t {
			if tap.extrapolate {
				return false
			}
		}
	}
	inH, inW := int(x.Shape[r-2]), int(x.Shape[r-1])
	outH, outW := int(y.Shape[r-2]), int(y.Shape[r-1])
	rows := int(ir.NumElements(y.Shape[:r-2])) * outH
	if rows == 0 || outW == 0 {
		return true
	}
	j := &resizeFastJob{
		src: x.F32(), dst: y.F32(),
		inH: inH, inW: inW, outH: outH, outW: outW,
		tv: resizeIdentityTaps(taps[r-2], inH), th: resizeIdentityTaps(taps[r-1], inW),
	}
	if cfg.filter.mode == "nearest" {
		j.my = resizeNearestMap(taps[r-2], inH)
		j.mx = resizeNearestMap(taps[r-1], inW)
		for _, m := range [][]int{j.my, j.mx} {
			for _, v := range m {
				if v < 0 {
					return false
				}
			}
		}
	}
	run := j.interpRows
	if j.my != nil {
		run = j.nearestRows
	}
	n := rows * outW
	if c.Pool != nil && c.Pool.Threads() > 1 && n >= 2*resizeFastGrain {
		c.Pool.For(rows, max(1, resizeFastGrain/outW), run)
	} else {
		run(0, rows)
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
	src, dst             []float32
	inH, inW, outH, outW int
	tv, th               []resizeTap // vertical and horizontal taps
	my, mx               []int       // nearest: source row and column
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
	tmp := make([]float64, j.inW)
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
