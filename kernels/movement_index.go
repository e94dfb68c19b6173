package kernels

import (
	"sort"
	"unsafe"

	"github.com/nncc/nncc/ir"
)

// Ops whose results are positions: TopK, ArgMax, ArgMin, NonZero, Unique.

func init() {
	Register("", "TopK", buildTopK)
	Register("", "ArgMax", func(b *Build) (Func, error) { return buildArg(b, 1) })
	Register("", "ArgMin", func(b *Build) (Func, error) { return buildArg(b, -1) })
	Register("", "NonZero", buildNonZero)
	Register("", "Unique", buildUnique)
}

// mvLanes describes the 1-D lanes along an axis: outer*inner lanes of n
// elements, element j of lane (o, i) at (o*n+j)*inner+i.
type mvLanes struct{ outer, n, inner int }

func mvLanesOf(shape []int64, ax int) mvLanes {
	return mvLanes{mvProd(shape, 0, ax), int(shape[ax]), mvProd(shape, ax+1, len(shape))}
}

func buildTopK(b *Build) (Func, error) {
	a := b.Attrs()
	axis := a.Int("axis", -1)
	largest := a.Int("largest", 1) != 0
	attrK, hasAttrK := a.Int("k", 0), a.Has("k")
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		k := attrK
		if v, ok, err := mvInts(c, in, 1); err != nil {
			return err
		} else if ok {
			if len(v) != 1 {
				return c.Errorf("K must hold one value, has %d", len(v))
			}
			k = v[0]
		} else if !hasAttrK {
			return c.Errorf("K is missing")
		}
		r := len(x.Shape)
		ax, err := mvAxis(axis, r)
		if err != nil {
			return c.Errorf("%v", err)
		}
		if k < 0 || k > x.Shape[ax] {
			return c.Errorf("K %d is out of range for an axis of size %d", k, x.Shape[ax])
		}
		var shapeBuf [8]int64
		out := append(shapeBuf[:0], x.Shape...)
		out[ax] = k
		vals, err := c.OutputUninit(0, x.DType, out)
		if err != nil {
			return err
		}
		idxT, err := c.OutputUninit(1, ir.Int64, out)
		if err != nil {
			return err
		}
		L := mvLanesOf(x.Shape, ax)
		kk := int(k)
		if topKTyped(x, vals, idxT.I64(), L, kk, largest, c.ScratchI64(L.n)) {
			return nil
		}
		keys, err := mvKeysOf(x)
		if err != nil {
			return c.Errorf("%v", err)
		}
		order := make([]int, L.n)
		src := make([]int, ir.NumElements(out))
		idx := idxT.I64()
		for o := 0; o < L.outer; o++ {
			for i := 0; i < L.inner; i++ {
				base := o*L.n*L.inner + i
				for j := range order {
					order[j] = j
				}
				// Ties keep the lower index first (stable sort on index order).
				sort.SliceStable(order, func(p, q int) bool {
					c := keys.cmpAt(base+order[p]*L.inner, base+order[q]*L.inner)
					if largest {
						return c > 0
					}
					return c < 0
				})
				for j := 0; j < kk; j++ {
					pos := (o*kk+j)*L.inner + i
					idx[pos] = int64(order[j])
					src[pos] = base + order[j]*L.inner
				}
			}
		}
		mvOf(vals.Data).Take(0, mvOf(x.Data), src)
		return nil
	}, nil
}

// buildArg builds ArgMax (sign 1) or ArgMin (sign -1).
func buildArg(b *Build, sign int) (Func, error) {
	a := b.Attrs()
	axis := a.Int("axis", 0)
	keep := a.Int("keepdims", 1) != 0
	last := a.Int("select_last_index", 0) != 0
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		r := len(x.Shape)
		ax, err := mvAxis(axis, r)
		if err != nil {
			return c.Errorf("%v", err)
		}
		if x.Shape[ax] == 0 {
			return c.Errorf("cannot take the arg%s of an empty axis", map[int]string{1: "max", -1: "min"}[sign])
		}
		out := append(c.ScratchI64(r)[:0], x.Shape...) // the step's own: no allocation per Run
		if keep {
			out[ax] = 1
		} else {
			out = append(out[:ax], out[ax+1:]...)
		}
		y, err := c.OutputUninit(0, ir.Int64, out)
		if err != nil {
			return err
		}
		res := y.I64()
		L := mvLanesOf(x.Shape, ax)
		if argTyped(x, res, L, sign, last) {
			return nil
		}
		keys, err := mvKeysOf(x)
		if err != nil {
			return c.Errorf("%v", err)
		}
		for o := 0; o < L.outer; o++ {
			for i := 0; i < L.inner; i++ {
				base := o*L.n*L.inner + i
				best := 0
				for j := 1; j < L.n; j++ {
					cv := keys.cmpAt(base+j*L.inner, base+best*L.inner) * sign
					if cv > 0 || (cv == 0 && last) {
						best = j
					}
				}
				res[o*L.inner+i] = int64(best)
			}
		}
		return nil
	}, nil
}

// mvIsNonZero reports in nz (t.Len() long), per element, whether it is
// not zero (NaN counts as non-zero; float8/float4 bit patterns are decoded
// by their sign-less bits).
func mvIsNonZero(t *ir.Tensor, nz []bool) {
	switch d := t.Data.(type) {
	case []string:
		for i, v := range d {
			nz[i] = v != ""
		}
	case []complex64:
		for i, v := range d {
			nz[i] = v != 0
		}
	case []complex128:
		for i, v := range d {
			nz[i] = v != 0
		}
	case []uint8:
		for i, v := range d {
			switch t.DType {
			case ir.Float8E4M3FN, ir.Float8E5M2:
				nz[i] = v&0x7f != 0
			case ir.Float4E2M1:
				nz[i] = v&0x7 != 0
			case ir.Float8E8M0:
				nz[i] = true // e8m0 has no zero
			default:
				nz[i] = v != 0
			}
		}
	default:
		for i := range nz {
			nz[i] = t.Float64At(i) != 0
		}
	}
}

func buildNonZero(b *Build) (Func, error) {
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		// Per-element flags and the index counter live in the step's
		// scratch: a Run allocates nothing.
		flags := c.ScratchBytes(x.Len())
		nz := unsafe.Slice((*bool)(unsafe.Pointer(unsafe.SliceData(flags))), len(flags))
		mvIsNonZero(x, nz)
		count := 0
		for _, v := range nz {
			if v {
				count++
			}
		}
		r := len(x.Shape)
		y, err := c.OutputUninit(0, ir.Int64, []int64{int64(r), int64(count)})
		if err != nil {
			return err
		}
		res := y.I64()
		idx := c.ScratchI64(r)
		clear(idx)
		k := 0
		for f := range nz {
			if nz[f] {
				for a := 0; a < r; a++ {
					res[a*count+k] = idx[a]
				}
				k++
			}
			for d := r - 1; d >= 0; d-- { // the next element's index
				if idx[d]++; idx[d] < x.Shape[d] {
					break
				}
				idx[d] = 0
			}
		}
		return nil
	}, nil
}

func buildUnique(b *Build) (Func, error) {
	a := b.Attrs()
	hasAxis := a.Has("axis")
	axis := a.Int("axis", 0)
	sorted := a.Int("sorted", 1) != 0
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		keys, err := mvKeysOf(x)
		if err != nil {
			return c.Errorf("%v", err)
		}
		// Items are the elements (no axis) or the slices along the axis.
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
		// Item j consists of the elements (o*n+j)*inner+i for all o, i.
		cmpItems := func(p, q int) int {
			for o := 0; o < L.outer; o++ {
				for i := 0; i < L.inner; i++ {
					if cv := keys.cmpAt((o*L.n+p)*L.inner+i, (o*L.n+q)*L.inner+i); cv != 0 {
						return cv
					}
				}
			}
			return 0
		}
		order := make([]int, L.n)
		for j := range order {
			order[j] = j
		}
		sort.SliceStable(order, func(p, q int) bool { return cmpItems(order[p], order[q]) < 0 })
		// Group equal items; a group's first member has the lowest index.
		group := make([]int, L.n) // item -> group number (in sorted order)
		var firsts []int
		var counts []int64
		for p, j := range order {
			if p == 0 || cmpItems(order[p-1], j) != 0 {
				firsts = append(firsts, j)
				counts = append(counts, 0)
			}
			group[j] = len(firsts) - 1
			counts[len(counts)-1]++
		}
		rank := make([]int, len(firsts)) // group -> output position
		for g := range rank {
			rank[g] = g
		}
		if !sorted {
			byFirst := make([]int, len(firsts))
			for g := range byFirst {
				byFirst[g] = g
			}
			sort.Slice(byFirst, func(p, q int) bool { return firsts[byFirst[p]] < firsts[byFirst[q]] })
			for pos, g := range byFirst {
				rank[g] = pos
			}
		}
		u := len(firsts)
		var yShape []int64
		if hasAxis {
			yShape = append([]int64{}, x.Shape...)
			yShape[ax0] = int64(u)
		} else {
			yShape = []int64{int64(u)}
		}
		y, err := c.OutputUninit(0, x.DType, yShape)
		if err != nil {
			return err
		}
		src := make([]int, ir.NumElements(yShape))
		for g, j := range firsts {
			pos := rank[g]
			for o := 0; o < L.outer; o++ {
				for i := 0; i < L.inner; i++ {
					src[(o*u+pos)*L.inner+i] = (o*L.n+j)*L.inner + i
				}
			}
		}
		mvOf(y.Data).Take(0, mvOf(x.Data), src)
		if c.NumOutputs() > 1 {
			t, err := c.OutputUninit(1, ir.Int64, []int64{int64(u)})
			if err != nil {
				return err
			}
			for g, j := range firsts {
				t.I64()[rank[g]] = int64(j)
			}
		}
		if c.NumOutputs() > 2 {
			t, err := c.OutputUninit(2, ir.Int64, []int64{int64(L.n)})
			if err != nil {
				return err
			}
			for j := range group {
				t.I64()[j] = int64(rank[group[j]])
			}
		}
		if c.NumOutputs() > 3 {
			t, err := c.OutputUninit(3, ir.Int64, []int64{int64(u)})
			if err != nil {
				return err
			}
			for g := range counts {
				t.I64()[rank[g]] = counts[g]
			}
		}
		return nil
	}, nil
}
