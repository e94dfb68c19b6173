package kernels

import (
	"github.com/nncc/nncc/ir"
)

// Gathers: Gather (whole slices along an axis), GatherElements (one element
// per index, like numpy take_along_axis) and GatherND (index tuples, with
// leading batch dims).

func init() {
	Register("", "Gather", buildGather)
	Register("", "GatherElements", buildGatherElements)
	Register("", "GatherND", buildGatherND)
}

// mvIndices reads index input i and checks that it has an integer dtype.
func mvIndices(c *Ctx, in []*ir.Tensor, i int) (*ir.Tensor, []int64, error) {
	t, err := mvTensor(c, in, i)
	if err != nil {
		return nil, nil, err
	}
	if t.DType != ir.Int64 && t.DType != ir.Int32 {
		return nil, nil, c.Errorf("input %d (indices) has dtype %v, expected int32 or int64", i, t.DType)
	}
	v, err := t.Int64s()
	if err != nil {
		return nil, nil, c.Errorf("input %d: %v", i, err)
	}
	return t, v, nil
}

// mvFixIndex maps a possibly negative index into [0, n).
func mvFixIndex(c *Ctx, v, n int64) (int, error) {
	if v < 0 {
		v += n
	}
	if v < 0 || v >= n {
		return 0, c.Errorf("index %d is out of range for an axis of size %d", v, n)
	}
	return int(v), nil
}

func buildGather(b *Build) (Func, error) {
	axis := b.Attrs().Int("axis", 0)
	var memo planMemo[[]int64] // steady-state Runs reuse the output shape
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		it, idx, err := mvIndices(c, in, 1)
		if err != nil {
			return err
		}
		r := len(x.Shape)
		ax, err := mvAxis(axis, r)
		if err != nil {
			return c.Errorf("%v", err)
		}
		var kb memoKey
		out, _ := memo.lookup(append(memoShapes(kb[:0], x.Shape, it.Shape), int64(ax)), true, func() ([]int64, error) {
			out := append([]int64{}, x.Shape[:ax]...)
			out = append(out, it.Shape...)
			return append(out, x.Shape[ax+1:]...), nil
		})
		n := x.Shape[ax]
		pos := c.ScratchI64(len(idx)) // the fixed indices, reused across Runs
		for i, v := range idx {
			p, err := mvFixIndex(c, v, n)
			if err != nil {
				return err
			}
			pos[i] = int64(p)
		}
		y, err := c.OutputUninit(0, x.DType, out)
		if err != nil {
			return err
		}
		outer := mvProd(x.Shape, 0, ax)
		inner := mvProd(x.Shape, ax+1, r)
		if inner == 0 {
			return nil
		}
		if xs, ok := x.Data.([]float32); ok {
			// float32 (embeddings) without boxing the slices.
			ys, d := y.F32(), 0
			for o := 0; o < outer; o++ {
				base := o * int(n) * inner
				for _, p := range pos {
					s := base + int(p)*inner
					copy(ys[d:d+inner], xs[s:s+inner])
					d += inner
				}
			}
			return nil
		}
		dst, src := mvOf(y.Data), mvOf(x.Data)
		d := 0
		for o := 0; o < outer; o++ {
			base := o * int(n) * inner
			for _, p := range pos {
				dst.Copy(d, src, base+int(p)*inner, inner)
				d += inner
			}
		}
		return nil
	}, nil
}

func buildGatherElements(b *Build) (Func, error) {
	axis := b.Attrs().Int("axis", 0)
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		it, idx, err := mvIndices(c, in, 1)
		if err != nil {
			return err
		}
		src, err := mvElementOffsets(c, x.Shape, it.Shape, idx, axis)
		if err != nil {
			return err
		}
		y, err := c.OutputUninit(0, x.DType, it.Shape)
		if err != nil {
			return err
		}
		mvOf(y.Data).Take(0, mvOf(x.Data), src)
		return nil
	}, nil
}

// mvElementOffsets returns, for each position of an indices tensor of shape
// ishape, the flat offset into data of shape dshape that GatherElements
// and ScatterElements address: the position with its axis coordinate
// replaced by the index value.
func mvElementOffsets(c *Ctx, dshape, ishape []int64, idx []int64, axis int64) ([]int, error) {
	r := len(dshape)
	if len(ishape) != r {
		return nil, c.Errorf("indices have rank %d, data rank %d", len(ishape), r)
	}
	ax, err := mvAxis(axis, r)
	if err != nil {
		return nil, c.Errorf("%v", err)
	}
	for i := range ishape {
		if i != ax && ishape[i] > dshape[i] {
			return nil, c.Errorf("indices shape %v exceeds data shape %v on axis %d", ishape, dshape, i)
		}
	}
	var stb [mvStackRank]int
	var posb [mvStackRank]int64
	st, pos := mvStackOr(stb[:], r), mvStackOr(posb[:], r)
	mvStridesInto(st, dshape)
	// The offsets live in the step's scratch (valid until its next
	// ScratchInt).
	out := c.ScratchInt(len(idx))
	for f := range out {
		p, err := mvFixIndex(c, idx[f], dshape[ax])
		if err != nil {
			return nil, err
		}
		off := p * st[ax]
		for a, v := range pos {
			if a != ax {
				off += int(v) * st[a]
			}
		}
		out[f] = off
		for d := r - 1; d >= 0; d-- { // next position of the indices, row-major
			if pos[d]++; pos[d] < ishape[d] {
				break
			}
			pos[d] = 0
		}
	}
	return out, nil
}

func buildGatherND(b *Build) (Func, error) {
	bd := b.Attrs().Int("batch_dims", 0)
	if bd < 0 {
		return nil, b.Errorf("batch_dims %d must not be negative", bd)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		it, idx, err := mvIndices(c, in, 1)
		if err != nil {
			return err
		}
		var ob [2 * mvStackRank]int64
		offs, chunk, out, err := mvNDOffsets(c, x.Shape, it.Shape, idx, int(bd), ob[:0])
		if err != nil {
			return err
		}
		y, err := c.OutputUninit(0, x.DType, out)
		if err != nil {
			return err
		}
		dst, src := mvOf(y.Data), mvOf(x.Data)
		if chunk == 0 {
			return nil
		}
		for i, o := range offs {
			dst.Copy(i*chunk, src, o, chunk)
		}
		return nil
	}, nil
}

// mvNDOffsets resolves GatherND/ScatterND index tuples: for each tuple (in
// row-major order of indices.shape[:-1]) the flat data offset of the slice
// it addresses, the slice's element count, and the GatherND output shape
// (which is also ScatterND's updates shape), appended to outBuf. The
// offsets live in the step's scratch (valid until its next ScratchInt).
func mvNDOffsets(c *Ctx, dshape, ishape []int64, idx []int64, bd int, outBuf []int64) (offs []int, chunk int, out []int64, err error) {
	q, r := len(ishape), len(dshape)
	if q < 1 {
		return nil, 0, nil, c.Errorf("indices must have rank at least 1")
	}
	k := int(ishape[q-1])
	if bd >= q || bd >= r {
		return nil, 0, nil, c.Errorf("batch_dims %d must be less than both ranks (%d, %d)", bd, q, r)
	}
	if bd+k > r {
		return nil, 0, nil, c.Errorf("index tuples of length %d with batch_dims %d exceed data rank %d", k, bd, r)
	}
	for i := 0; i < bd; i++ {
		if ishape[i] != dshape[i] {
			return nil, 0, nil, c.Errorf("batch dim %d differs: indices %v, data %v", i, ishape, dshape)
		}
	}
	out = append(outBuf[:0], ishape[:q-1]...)
	out = append(out, dshape[bd+k:]...)
	chunk = mvProd(dshape, bd+k, r)
	var stb [mvStackRank]int
	st := mvStackOr(stb[:], r)
	mvStridesInto(st, dshape)
	batches := mvProd(ishape, 0, bd)
	perBatch := mvProd(ishape, bd, q-1)
	batchStride := mvProd(dshape, bd, r)
	offs = c.ScratchInt(batches * perBatch)
	for b := 0; b < batches; b++ {
		for t := 0; t < perBatch; t++ {
			n := b*perBatch + t
			tuple := idx[n*k : n*k+k]
			off := b * batchStride
			for j, v := range tuple {
				p, err := mvFixIndex(c, v, dshape[bd+j])
				if err != nil {
					return nil, 0, nil, err
				}
				off += p * st[bd+j]
			}
			offs[n] = off
		}
	}
	return offs, chunk, out, nil
}
