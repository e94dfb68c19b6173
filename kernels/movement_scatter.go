package kernels

import (
	"github.com/nncc/nncc/ir"
)

// Scatters: ScatterElements (and its deprecated opset 9-10 name Scatter),
// ScatterND, both with an optional reduction, and TensorScatter (KV-cache
// updates). Updates are applied in row-major order of the indices, so with
// reduction "none" a repeated index keeps the last update.

func init() {
	Register("", "ScatterElements", buildScatterElements)
	Register("", "Scatter", buildScatterElements)
	Register("", "ScatterND", buildScatterND)
	Register("", "TensorScatter", buildTensorScatter)
}

// Scatter reductions.
const (
	mvRedNone = iota
	mvRedAdd
	mvRedMul
	mvRedMax
	mvRedMin
)

var mvReductions = map[string]int{"none": mvRedNone, "add": mvRedAdd, "mul": mvRedMul, "max": mvRedMax, "min": mvRedMin}

func mvReduction(b *Build) (int, error) {
	name := b.Attrs().String("reduction", "none")
	red, ok := mvReductions[name]
	if !ok {
		return 0, b.Errorf("reduction %q is not none, add, mul, max or min", name)
	}
	return red, nil
}

// mvCheckReducible rejects dtypes a reduction has no arithmetic for.
func mvCheckReducible(c *Ctx, dt ir.DType, red int) error {
	if red == mvRedNone {
		return nil
	}
	switch dt {
	case ir.String, ir.Float8E4M3FN, ir.Float8E4M3FNUZ, ir.Float8E5M2, ir.Float8E5M2FNUZ, ir.Float8E8M0,
		ir.Float4E2M1, ir.Int4, ir.Uint4, ir.Int2, ir.Uint2:
		return c.Errorf("reduction is not supported for dtype %v", dt)
	case ir.Complex64, ir.Complex128:
		if red == mvRedMax || red == mvRedMin {
			return c.Errorf("max/min reduction is not defined for dtype %v", dt)
		}
	}
	return nil
}

type mvNum interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

func mvCombine[T mvNum](red int, a, b T) T {
	switch red {
	case mvRedAdd:
		return a + b
	case mvRedMul:
		return a * b
	case mvRedMax:
		return max(a, b)
	case mvRedMin:
		return min(a, b)
	}
	return b
}

func mvApplyNum[T mvNum](red int, dst, src []T) {
	for i := range dst {
		dst[i] = mvCombine(red, dst[i], src[i])
	}
}

// mvApply combines src[s:s+n] into dst[d:d+n] with a reduction (which
// mvCheckReducible has accepted for the dtype).
func mvApply(red int, dst any, d int, src any, s, n int) {
	switch dv := dst.(type) {
	case []float32:
		mvApplyNum(red, dv[d:d+n], src.([]float32)[s:s+n])
	case []float64:
		mvApplyNum(red, dv[d:d+n], src.([]float64)[s:s+n])
	case []int8:
		mvApplyNum(red, dv[d:d+n], src.([]int8)[s:s+n])
	case []int16:
		mvApplyNum(red, dv[d:d+n], src.([]int16)[s:s+n])
	case []int32:
		mvApplyNum(red, dv[d:d+n], src.([]int32)[s:s+n])
	case []int64:
		mvApplyNum(red, dv[d:d+n], src.([]int64)[s:s+n])
	case []uint8:
		mvApplyNum(red, dv[d:d+n], src.([]uint8)[s:s+n])
	case []uint16:
		mvApplyNum(red, dv[d:d+n], src.([]uint16)[s:s+n])
	case []uint32:
		mvApplyNum(red, dv[d:d+n], src.([]uint32)[s:s+n])
	case []uint64:
		mvApplyNum(red, dv[d:d+n], src.([]uint64)[s:s+n])
	case []ir.F16:
		sv := src.([]ir.F16)
		for i := 0; i < n; i++ {
			dv[d+i] = ir.NewFloat16(mvCombine(red, dv[d+i].Float32(), sv[s+i].Float32()))
		}
	case []ir.BF16:
		sv := src.([]ir.BF16)
		for i := 0; i < n; i++ {
			dv[d+i] = ir.NewBFloat16(mvCombine(red, dv[d+i].Float32(), sv[s+i].Float32()))
		}
	case []bool:
		sv := src.([]bool)
		for i := 0; i < n; i++ {
			switch red {
			case mvRedAdd, mvRedMax:
				dv[d+i] = dv[d+i] || sv[s+i]
			default:
				dv[d+i] = dv[d+i] && sv[s+i]
			}
		}
	case []complex64:
		sv := src.([]complex64)
		for i := 0; i < n; i++ {
			if red == mvRedAdd {
				dv[d+i] += sv[s+i]
			} else {
				dv[d+i] *= sv[s+i]
			}
		}
	case []complex128:
		sv := src.([]complex128)
		for i := 0; i < n; i++ {
			if red == mvRedAdd {
				dv[d+i] += sv[s+i]
			} else {
				dv[d+i] *= sv[s+i]
			}
		}
	default:
		panic("BUG: mvApply on unsupported storage")
	}
}

// mvScatterOut makes output 0 a copy of data.
func mvScatterOut(c *Ctx, x *ir.Tensor) (*ir.Tensor, error) {
	y, err := c.OutputUninit(0, x.DType, x.Shape)
	if err != nil {
		return nil, err
	}
	if n := x.Len(); n > 0 {
		mvOf(y.Data).Copy(0, mvOf(x.Data), 0, n)
	}
	return y, nil
}

func buildScatterElements(b *Build) (Func, error) {
	axis := b.Attrs().Int("axis", 0)
	red, err := mvReduction(b)
	if err != nil {
		return nil, err
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
		u, err := mvTensor(c, in, 2)
		if err != nil {
			return err
		}
		if u.DType != x.DType || !mvSameInts(u.Shape, it.Shape) {
			return c.Errorf("updates %v %v must match data dtype %v and indices shape %v", u.DType, u.Shape, x.DType, it.Shape)
		}
		if err := mvCheckReducible(c, x.DType, red); err != nil {
			return err
		}
		offs, err := mvElementOffsets(c, x.Shape, it.Shape, idx, axis)
		if err != nil {
			return err
		}
		y, err := mvScatterOut(c, x)
		if err != nil {
			return err
		}
		dst, src := mvOf(y.Data), mvOf(u.Data)
		for i, o := range offs {
			if red == mvRedNone {
				dst.Copy(o, src, i, 1)
			} else {
				mvApply(red, y.Data, o, u.Data, i, 1)
			}
		}
		return nil
	}, nil
}

func buildScatterND(b *Build) (Func, error) {
	red, err := mvReduction(b)
	if err != nil {
		return nil, err
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
		u, err := mvTensor(c, in, 2)
		if err != nil {
			return err
		}
		if err := mvCheckReducible(c, x.DType, red); err != nil {
			return err
		}
		var ub [2 * mvStackRank]int64
		offs, chunk, ushape, err := mvNDOffsets(c, x.Shape, it.Shape, idx, 0, ub[:0])
		if err != nil {
			return err
		}
		if u.DType != x.DType || !mvSameInts(u.Shape, ushape) {
			// The error formats a copy, so that ushape (on the stack) does not escape.
			return c.Errorf("updates are %v%v, expected %v%v", u.DType, u.Shape, x.DType, append([]int64(nil), ushape...))
		}
		y, err := mvScatterOut(c, x)
		if err != nil {
			return err
		}
		dst, src := mvOf(y.Data), mvOf(u.Data)
		if chunk == 0 {
			return nil
		}
		for i, o := range offs {
			if red == mvRedNone {
				dst.Copy(o, src, i*chunk, chunk)
			} else {
				mvApply(red, y.Data, o, u.Data, i*chunk, chunk)
			}
		}
		return nil
	}, nil
}

func buildTensorScatter(b *Build) (Func, error) {
	axis := b.Attrs().Int("axis", -2)
	mode := b.Attrs().String("mode", "linear")
	if mode != "linear" && mode != "circular" {
		return nil, b.Errorf("mode %q is not linear or circular", mode)
	}
	circular := mode == "circular"
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		u, err := mvTensor(c, in, 1)
		if err != nil {
			return err
		}
		r := len(x.Shape)
		ax, err := mvAxis(axis, r)
		if err != nil {
			return c.Errorf("%v", err)
		}
		if ax == 0 {
			return c.Errorf("axis must not be the batch axis 0")
		}
		if u.DType != x.DType || len(u.Shape) != r {
			return c.Errorf("update %v%v does not match past_cache %v%v", u.DType, u.Shape, x.DType, x.Shape)
		}
		for i := range u.Shape {
			if i != ax && u.Shape[i] != x.Shape[i] {
				return c.Errorf("update shape %v differs from past_cache shape %v outside axis %d", u.Shape, x.Shape, ax)
			}
		}
		maxSeq, seq := int(x.Shape[ax]), int(u.Shape[ax])
		if seq > maxSeq {
			return c.Errorf("update sequence length %d exceeds the cache's %d", seq, maxSeq)
		}
		batch := int(x.Shape[0])
		wi := make([]int64, batch)
		if v, ok, err := mvInts(c, in, 2); err != nil {
			return err
		} else if ok {
			if len(v) != batch {
				return c.Errorf("write_indices has %d values for batch size %d", len(v), batch)
			}
			wi = v
		}
		y, err := mvScatterOut(c, x)
		if err != nil {
			return err
		}
		dst, src := mvOf(y.Data), mvOf(u.Data)
		inner := mvProd(x.Shape, ax+1, r)
		prefix := mvProd(x.Shape, 0, ax)
		perBatch := prefix / max(batch, 1)
		for p := 0; p < prefix; p++ {
			w := wi[p/max(perBatch, 1)]
			for s := 0; s < seq; s++ {
				pos := w + int64(s)
				if circular {
					pos = ((pos % int64(maxSeq)) + int64(maxSeq)) % int64(maxSeq)
				} else if pos < 0 || pos >= int64(maxSeq) {
					return c.Errorf("write index %d plus %d is outside the cache of length %d", w, s, maxSeq)
				}
				dst.Copy((p*maxSeq+int(pos))*inner, src, (p*seq+s)*inner, inner)
			}
		}
		return nil
	}, nil
}
