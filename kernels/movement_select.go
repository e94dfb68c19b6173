package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// Element selection and placement: OneHot, Trilu, ReverseSequence and
// Compress.

func init() {
	Register("", "OneHot", buildOneHot)
	Register("", "Trilu", buildTrilu)
	Register("", "ReverseSequence", buildReverseSequence)
	Register("", "Compress", buildCompress)
}

func buildOneHot(b *Build) (Func, error) {
	axis := b.Attrs().Int("axis", -1)
	return func(c *Ctx, in []*ir.Tensor) error {
		idx, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		dt, err := mvTensor(c, in, 1)
		if err != nil {
			return err
		}
		vals, err := mvTensor(c, in, 2)
		if err != nil {
			return err
		}
		if dt.Len() != 1 {
			return c.Errorf("depth must hold one value, has %d", dt.Len())
		}
		if vals.Len() != 2 {
			return c.Errorf("values must hold [off, on], has %d elements", vals.Len())
		}
		df := dt.Float64At(0)
		if math.IsNaN(df) || df < 1 || df > 1<<40 {
			return c.Errorf("depth %g must be a positive integer", df)
		}
		depth := int64(df)
		r := len(idx.Shape) + 1
		ax, err := mvAxis(axis, r)
		if err != nil {
			return c.Errorf("%v", err)
		}
		var ob [mvStackRank + 1]int64
		out := append(ob[:0], idx.Shape[:ax]...)
		out = append(out, depth)
		out = append(out, idx.Shape[ax:]...)
		y, err := c.OutputUninit(0, vals.DType, out)
		if err != nil {
			return err
		}
		dst, v := mvOf(y.Data), mvOf(vals.Data)
		if n := y.Len(); n > 0 {
			dst.Fill(0, n, v, 0)
		}
		inner := mvProd(idx.Shape, ax, len(idx.Shape))
		for f := 0; f < idx.Len(); f++ {
			k := idx.Float64At(f)
			if math.IsNaN(k) {
				continue
			}
			p := int64(k)
			if p < 0 {
				p += depth
			}
			if p < 0 || p >= depth {
				continue // out-of-range indices give an all-off row
			}
			o, i := f/max(inner, 1), f%max(inner, 1)
			dst.Copy((o*int(depth)+int(p))*inner+i, v, 1, 1)
		}
		return nil
	}, nil
}

func buildTrilu(b *Build) (Func, error) {
	upper := b.Attrs().Int("upper", 1) != 0
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		k := int64(0)
		if v, ok, err := mvInts(c, in, 1); err != nil {
			return err
		} else if ok {
			if len(v) != 1 {
				return c.Errorf("k must hold one value, has %d", len(v))
			}
			k = v[0]
		}
		r := len(x.Shape)
		if r < 2 {
			return c.Errorf("input must have rank at least 2, has shape %v", x.Shape)
		}
		y, err := c.Output(0, x.DType, x.Shape)
		if err != nil {
			return err
		}
		rows, cols := x.Shape[r-2], x.Shape[r-1]
		mats := mvProd(x.Shape, 0, r-2)
		dst, src := mvOf(y.Data), mvOf(x.Data)
		for m := 0; m < mats; m++ {
			for i := int64(0); i < rows; i++ {
				var lo, hi int64 // kept columns [lo, hi)
				if upper {
					lo, hi = max(0, i+k), cols
				} else {
					lo, hi = 0, min(cols, i+k+1)
				}
				if hi > lo {
					off := (int64(m)*rows+i)*cols + lo
					dst.Copy(int(off), src, int(off), int(hi-lo))
				}
			}
		}
		return nil
	}, nil
}

func buildReverseSequence(b *Build) (Func, error) {
	a := b.Attrs()
	batchAxis, timeAxis := a.Int("batch_axis", 1), a.Int("time_axis", 0)
	if !((batchAxis == 0 && timeAxis == 1) || (batchAxis == 1 && timeAxis == 0)) {
		return nil, b.Errorf("batch_axis %d and time_axis %d must be 0 and 1 in some order", batchAxis, timeAxis)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		lens, ok, err := mvInts(c, in, 1)
		if err != nil {
			return err
		}
		if !ok {
			return c.Errorf("input 1 (sequence_lens) is missing")
		}
		if len(x.Shape) < 2 {
			return c.Errorf("input must have rank at least 2, has shape %v", x.Shape)
		}
		batch, steps := x.Shape[batchAxis], x.Shape[timeAxis]
		if int64(len(lens)) != batch {
			return c.Errorf("sequence_lens has %d values for batch size %d", len(lens), batch)
		}
		for _, l := range lens {
			if l < 0 || l > steps {
				return c.Errorf("sequence length %d is outside [0, %d]", l, steps)
			}
		}
		y, err := c.OutputUninit(0, x.DType, x.Shape)
		if err != nil {
			return err
		}
		st := mvStrides(x.Shape)
		src := make([]int, x.Len())
		mvEach(x.Shape, func(idx []int64, f int) {
			t, l := idx[timeAxis], lens[idx[batchAxis]]
			if t < l {
				src[f] = f + int((l-1-t)-t)*st[timeAxis]
			} else {
				src[f] = f
			}
		})
		mvOf(y.Data).Take(0, mvOf(x.Data), src)
		return nil
	}, nil
}

func buildCompress(b *Build) (Func, error) {
	hasAxis := b.Attrs().Has("axis")
	axis := b.Attrs().Int("axis", 0)
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		ct, err := mvTensor(c, in, 1)
		if err != nil {
			return err
		}
		if ct.DType != ir.Bool {
			return c.Errorf("condition has dtype %v, expected bool", ct.DType)
		}
		cond := ir.Data[bool](ct)
		var L mvLanes
		ax0 := 0
		if hasAxis {
			ax, err := mvAxis(axis, len(x.Shape))
			if err != nil {
				return c.Errorf("%v", err)
			}
			ax0 = ax
			L = mvLanesOf(x.Shape, ax)
		} else {
			L = mvLanes{1, x.Len(), 1}
		}
		var keep []int
		for j, v := range cond {
			if !v {
				continue
			}
			if j >= L.n {
				return c.Errorf("condition selects index %d beyond the axis size %d", j, L.n)
			}
			keep = append(keep, j)
		}
		var out []int64
		if hasAxis {
			out = append([]int64{}, x.Shape...)
			out[ax0] = int64(len(keep))
		} else {
			out = []int64{int64(len(keep))}
		}
		y, err := c.OutputUninit(0, x.DType, out)
		if err != nil {
			return err
		}
		dst, src := mvOf(y.Data), mvOf(x.Data)
		k := len(keep)
		for o := 0; o < L.outer && L.inner > 0; o++ {
			for p, j := range keep {
				dst.Copy((o*k+p)*L.inner, src, (o*L.n+j)*L.inner, L.inner)
			}
		}
		return nil
	}, nil
}
