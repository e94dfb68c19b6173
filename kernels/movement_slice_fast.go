package kernels

import "github.com/nncc/nncc/ir"

// Slice specialised at Build time. Plans are compiled per concrete input
// shape, so when X's shape is static and starts/ends/axes/steps are
// attributes or constants, the whole index computation is done once and a
// float32 Run is a strided copy with no allocation.

type sliceFixed struct {
	inShape, out []int64
	strides      []int // input stride per output axis (step included)
	base         int
}

// planSlice precomputes a Slice for a static input shape, or returns nil.
func planSlice(b *Build, attr ir.SliceArgs, fromAttr bool) *sliceFixed {
	if len(b.InTypes) == 0 || b.InTypes[0] == nil || !b.InTypes[0].RankKnown {
		return nil
	}
	shape, ok := b.InTypes[0].Shape.Concrete()
	if !ok {
		return nil
	}
	args := attr
	if !fromAttr {
		for i, dst := range []*[]int64{&args.Starts, &args.Ends, &args.Axes, &args.Steps} {
			v := b.Node.In(i + 1)
			if v == nil {
				if i < 2 {
					return nil
				}
				continue
			}
			if v.Const == nil {
				return nil
			}
			ints, err := v.Const.Int64s()
			if err != nil {
				return nil
			}
			*dst = ints
		}
	}
	starts, steps, out, err := ir.ResolveSlice(shape, args)
	if err != nil {
		return nil // the run-time path reports it
	}
	st := mvStrides(shape)
	f := &sliceFixed{inShape: shape, out: out, strides: make([]int, len(st))}
	for i := range st {
		f.strides[i] = st[i] * int(steps[i])
		if out[i] > 0 {
			f.base += int(starts[i]) * st[i]
		}
	}
	return f
}

// run performs the precomputed slice if x matches; it reports false when
// the generic path must run instead.
func (f *sliceFixed) run(c *Ctx, x *ir.Tensor) (bool, error) {
	xs, ok := x.Data.([]float32)
	if !ok || !sameShape(x.Shape, f.inShape) {
		return false, nil
	}
	y, err := c.OutputUninit(0, ir.Float32, f.out)
	if err != nil {
		return true, err
	}
	stridedF32(y.F32(), xs, f.out, f.strides, f.base, c.ScratchI64(len(f.out)))
	return true, nil
}

// stridedF32 copies dst[i] = src[base + Σ idx_a·strides[a]] over the
// output shape in row-major order; idx is scratch of len(shape).
func stridedF32(dst, src []float32, shape []int64, strides []int, base int, idx []int64) {
	r := len(shape)
	if len(dst) == 0 {
		return
	}
	if r == 0 {
		dst[0] = src[base]
		return
	}
	clear(idx)
	last := r - 1
	n, s := int(shape[last]), strides[last]
	off := base
	for o := 0; o < len(dst); o += n {
		row := dst[o : o+n]
		if s == 1 {
			copy(row, src[off:off+n])
		} else {
			p := off
			for j := range row {
				row[j] = src[p]
				p += s
			}
		}
		for a := last - 1; a >= 0; a-- {
			idx[a]++
			off += strides[a]
			if idx[a] < shape[a] {
				break
			}
			off -= int(idx[a]) * strides[a]
			idx[a] = 0
		}
	}
}
