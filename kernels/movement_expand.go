package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// Expand (broadcast to a shape) and Tile (repeat along each axis).

func init() {
	Register("", "Expand", buildExpand)
	Register("", "Tile", buildTile)
}

func buildExpand(b *Build) (Func, error) {
	var memo planMemo[*expandPlan] // steady-state Runs reuse the shape and strides
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		var kb memoKey
		key, memoOK := memoInts(memoShape(kb[:0], x.Shape), attnInput(in, 1))
		p, err := memo.lookup(key, memoOK, func() (*expandPlan, error) {
			shape, ok, err := mvInts(c, in, 1)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, c.Errorf("input 1 (shape) is missing")
			}
			out, err := ir.BroadcastConcrete(x.Shape, shape)
			if err != nil {
				return nil, c.Errorf("%v", err)
			}
			return &expandPlan{out: out, strides: mvBroadcastStrides(x.Shape, out)}, nil
		})
		if err != nil {
			return err
		}
		y, err := c.OutputUninit(0, x.DType, p.out)
		if err != nil {
			return err
		}
		mvStrided(mvOf(y.Data), mvOf(x.Data), p.out, p.strides, 0)
		return nil
	}, nil
}

// expandPlan is Expand's per-shape plan: the output shape and the source
// stride of each output axis.
type expandPlan struct {
	out     []int64
	strides []int
}

// mvBroadcastStrides returns, per axis of out, the stride of in (aligned to
// the right) or 0 where in is broadcast.
func mvBroadcastStrides(in, out []int64) []int {
	st := mvStrides(in)
	res := make([]int, len(out))
	off := len(out) - len(in)
	for i := range in {
		if in[i] != 1 || out[off+i] == 1 {
			res[off+i] = st[i]
		}
	}
	return res
}

func buildTile(b *Build) (Func, error) {
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		r := len(x.Shape)
		reps, ok, err := mvInts(c, in, 1)
		if err != nil {
			return err
		}
		if !ok {
			return c.Errorf("input 1 (repeats) is missing")
		}
		if axisV, ok, err := mvInts(c, in, 2); err != nil {
			return err
		} else if ok { // Tile-1: scalar tiles along one axis
			if len(reps) != 1 || len(axisV) != 1 {
				return c.Errorf("tiles and axis must be scalars")
			}
			ax, err := mvAxis(axisV[0], r)
			if err != nil {
				return c.Errorf("%v", err)
			}
			t := reps[0]
			reps = make([]int64, r)
			for i := range reps {
				reps[i] = 1
			}
			reps[ax] = t
		}
		if len(reps) != r {
			return c.Errorf("repeats has %d values for rank %d", len(reps), r)
		}
		out := make([]int64, r)
		for i := range out {
			if reps[i] < 0 {
				return c.Errorf("repeats %v has a negative value", reps)
			}
			if reps[i] > 0 && x.Shape[i] > math.MaxInt64/reps[i] {
				return c.Errorf("repeats %v overflow the output shape", reps)
			}
			out[i] = x.Shape[i] * reps[i]
		}
		y, err := c.OutputUninit(0, x.DType, out)
		if err != nil || y.Len() == 0 {
			return err
		}
		maps := make([][]int, r)
		st := mvStrides(x.Shape)
		for a := range maps {
			maps[a] = make([]int, out[a])
			for o := range maps[a] {
				maps[a][o] = (o % int(x.Shape[a])) * st[a]
			}
		}
		mvMapped(mvOf(y.Data), mvOf(x.Data), out, maps, mvSlice{})
		return nil
	}, nil
}

// mvIdxBufs recycles the gather index rows of mvMapped and mvStrided:
// handed to mvSlice.Take, they would otherwise be allocated per call.
var mvIdxBufs slicePool[int]

// mvMapped fills dst (row-major, shape outShape) from src: the source
// offset of an output element is the sum over axes of maps[a][index[a]].
// A negative map entry marks a position that takes fill[0] instead (fill
// may be the zero mvSlice when no entry is negative). Negative entries of
// the innermost axis must form a prefix and a suffix, as padding does.
func mvMapped(dst, src mvSlice, outShape []int64, maps [][]int, fill mvSlice) {
	r := len(outShape)
	n := ir.NumElements(outShape)
	if n == 0 {
		return
	}
	if r == 0 {
		dst.Copy(0, src, 0, 1)
		return
	}
	last := maps[r-1]
	rowLen := len(last)
	lo, hi := 0, rowLen
	for lo < rowLen && last[lo] < 0 {
		lo++
	}
	for hi > lo && last[hi-1] < 0 {
		hi--
	}
	contiguous := true
	for j := lo + 1; j < hi; j++ {
		if last[j] != last[j-1]+1 {
			contiguous = false
			break
		}
	}
	var idx []int
	if !contiguous {
		var b *[]int
		b, idx = mvIdxBufs.get(hi - lo)
		defer mvIdxBufs.put(b)
	}
	counter := poolIdx[int](r - 1)
	for d := 0; d < n; d += rowLen {
		base, pad := 0, false
		for a := 0; a < r-1; a++ {
			m := maps[a][counter[a]]
			if m < 0 {
				pad = true
			}
			base += m
		}
		switch {
		case pad:
			dst.Fill(d, rowLen, fill, 0)
		default:
			if lo > 0 {
				dst.Fill(d, lo, fill, 0)
			}
			if hi > lo {
				if contiguous {
					dst.Copy(d+lo, src, base+last[lo], hi-lo)
				} else {
					for j := range idx {
						idx[j] = base + last[lo+j]
					}
					dst.Take(d+lo, src, idx)
				}
			}
			if hi < rowLen {
				dst.Fill(d+hi, rowLen-hi, fill, 0)
			}
		}
		for a := r - 2; a >= 0; a-- {
			counter[a]++
			if counter[a] < int(outShape[a]) {
				break
			}
			counter[a] = 0
		}
	}
}
