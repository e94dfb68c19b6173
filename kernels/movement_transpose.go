package kernels

import (
	"github.com/nncc/nncc/ir"
)

// Axis permutations: Transpose, and DepthToSpace / SpaceToDepth, which are
// a reshape, a transpose and a reshape.

func init() {
	Register("", "Transpose", buildTranspose)
	Register("", "DepthToSpace", buildDepthToSpace)
	Register("", "SpaceToDepth", buildSpaceToDepth)
}

// mvPermute writes src, viewed with shape inShape, transposed by perm
// (output axis i is input axis perm[i]) into dst, in row-major order.
func mvPermute(dst, src mvSlice, inShape []int64, perm []int) {
	// Up to mvStackRank axes the geometry lives on the stack.
	var stb, ob [mvStackRank]int
	var shb [mvStackRank]int64
	st, ostr, outShape := mvStackOr(stb[:], len(inShape)), mvStackOr(ob[:], len(perm)), mvStackOr(shb[:], len(perm))
	mvStridesInto(st, inShape)
	for i, p := range perm {
		outShape[i] = inShape[p]
		ostr[i] = st[p]
	}
	mvStrided(dst, src, outShape, ostr, 0)
}

// mvStrided fills dst (row-major, shape outShape) with the elements of src
// at base + sum(index[i] * strides[i]). Strides may be zero (broadcast) or
// negative (reversed slices). Rows of the innermost axis are moved as one
// copy, fill or gather.
func mvStrided(dst, src mvSlice, outShape []int64, strides []int, base int) {
	r := len(outShape)
	n := ir.NumElements(outShape)
	if n == 0 {
		return
	}
	if r == 0 {
		dst.Copy(0, src, base, 1)
		return
	}
	rowLen := int(outShape[r-1])
	inner := strides[r-1]
	var idx []int
	if inner != 1 && inner != 0 {
		var b *[]int
		b, idx = mvIdxBufs.get(rowLen)
		defer mvIdxBufs.put(b)
	}
	counter := poolIdx[int64](r - 1)
	for d := 0; d < n; d += rowLen {
		switch inner {
		case 1:
			dst.Copy(d, src, base, rowLen)
		case 0:
			dst.Fill(d, rowLen, src, base)
		default:
			for j := range idx {
				idx[j] = base + j*inner
			}
			dst.Take(d, src, idx)
		}
		for a := r - 2; a >= 0; a-- {
			counter[a]++
			base += strides[a]
			if counter[a] < outShape[a] {
				break
			}
			base -= int(counter[a]) * strides[a]
			counter[a] = 0
		}
	}
}

func buildTranspose(b *Build) (Func, error) {
	perm := b.Attrs().Ints("perm", nil)
	// With a perm attribute, or an input of known rank, the permutation is
	// fixed now and the float32 path allocates nothing per call.
	var fixed []int
	if perm != nil {
		fixed, _ = ir.TransposePerm(perm, len(perm))
	} else if t := b.InTypes; len(t) > 0 && t[0] != nil && t[0].RankKnown {
		fixed, _ = ir.TransposePerm(nil, len(t[0].Shape))
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		if done, err := transposeFast(c, x, fixed); done {
			return err
		}
		p, err := ir.TransposePerm(perm, len(x.Shape))
		if err != nil {
			return c.Errorf("%v", err)
		}
		out := make([]int64, len(p))
		for i, a := range p {
			out[i] = x.Shape[a]
		}
		y, err := c.OutputUninit(0, x.DType, out)
		if err != nil {
			return err
		}
		mvPermute(mvOf(y.Data), mvOf(x.Data), x.Shape, p)
		return nil
	}, nil
}

func buildDepthToSpace(b *Build) (Func, error) {
	bs := b.Attrs().Int("blocksize", 0)
	mode := b.Attrs().String("mode", "DCR")
	if bs <= 0 || bs > ir.MaxBlockSize {
		return nil, b.Errorf("blocksize %d must be in [1, %d]", bs, ir.MaxBlockSize)
	}
	if mode != "DCR" && mode != "CRD" {
		return nil, b.Errorf("mode %q is not DCR or CRD", mode)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		if len(x.Shape) != 4 {
			return c.Errorf("input must have rank 4, has shape %v", x.Shape)
		}
		n, ch, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
		if ch%(bs*bs) != 0 {
			return c.Errorf("channels %d are not divisible by blocksize² %d", ch, bs*bs)
		}
		oc := ch / (bs * bs)
		var tmp []int64
		var perm []int
		if mode == "DCR" {
			tmp = []int64{n, bs, bs, oc, h, w}
			perm = []int{0, 3, 4, 1, 5, 2}
		} else {
			tmp = []int64{n, oc, bs, bs, h, w}
			perm = []int{0, 1, 4, 2, 5, 3}
		}
		y, err := c.OutputUninit(0, x.DType, []int64{n, oc, h * bs, w * bs})
		if err != nil {
			return err
		}
		mvPermute(mvOf(y.Data), mvOf(x.Data), tmp, perm)
		return nil
	}, nil
}

func buildSpaceToDepth(b *Build) (Func, error) {
	bs := b.Attrs().Int("blocksize", 0)
	if bs <= 0 || bs > ir.MaxBlockSize {
		return nil, b.Errorf("blocksize %d must be in [1, %d]", bs, ir.MaxBlockSize)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		if len(x.Shape) != 4 {
			return c.Errorf("input must have rank 4, has shape %v", x.Shape)
		}
		n, ch, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
		if h%bs != 0 || w%bs != 0 {
			return c.Errorf("spatial dims %dx%d are not divisible by blocksize %d", h, w, bs)
		}
		tmp := []int64{n, ch, h / bs, bs, w / bs, bs}
		y, err := c.OutputUninit(0, x.DType, []int64{n, ch * bs * bs, h / bs, w / bs})
		if err != nil {
			return err
		}
		mvPermute(mvOf(y.Data), mvOf(x.Data), tmp, []int{0, 3, 5, 1, 2, 4})
		return nil
	}, nil
}
