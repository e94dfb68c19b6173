package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear.
//
// Both linear ops compute in float32 (the precision ONNX's reference
// uses) and support per-tensor, per-axis and blocked scales; float32 with
// 8-bit codes per tensor or per axis takes the vector routines of
// quant_fast.go. An integer quantization of NaN gives the type's least
// code (0 for uint8, -128 for int8), as ONNX Runtime's MLAS clamps it.

func init() {
	Register("", "QuantizeLinear", buildQuantizeLinear)
	Register("", "DequantizeLinear", buildDequantizeLinear)
	Register("", "DynamicQuantizeLinear", buildDynamicQuantizeLinear)
}

// nnQuantRange gives the saturation range of the integer quantized types.
func nnQuantRange(d ir.DType) (lo, hi float64, ok bool) {
	switch d {
	case ir.Int8:
		return -128, 127, true
	case ir.Uint8:
		return 0, 255, true
	case ir.Int16:
		return -32768, 32767, true
	case ir.Uint16:
		return 0, 65535, true
	case ir.Int4:
		return -8, 7, true
	case ir.Uint4:
		return 0, 15, true
	case ir.Int2:
		return -2, 1, true
	case ir.Uint2:
		return 0, 3, true
	case ir.Int32:
		return math.MinInt32, math.MaxInt32, true
	}
	return 0, 0, false
}

// nnReadF32 returns the elements of a numeric or float8 tensor as float32
// (float8/float4 and e8m0 codes decoded): float32 data itself, else a new
// slice.
func nnReadF32(t *ir.Tensor) ([]float32, bool) {
	if s, ok := t.Data.([]float32); ok && t.DType == ir.Float32 {
		return s, true
	}
	v, _, ok := nnReadF32To(t, make([]float32, t.Len()))
	return v, ok
}

// nnReadF32To is nnReadF32 decoding into the front of buf (at least
// t.Len() values unless t is float32) instead of a new slice: it returns
// the values and the rest of buf.
func nnReadF32To(t *ir.Tensor, buf []float32) ([]float32, []float32, bool) {
	if s, ok := t.Data.([]float32); ok && t.DType == ir.Float32 {
		return s, buf, true
	}
	n := int(t.Len())
	out, rest := buf[:n], buf[n:]
	switch t.DType {
	case ir.Float16, ir.BFloat16, ir.Float8E4M3FN, ir.Float8E4M3FNUZ, ir.Float8E5M2, ir.Float8E5M2FNUZ, ir.Float4E2M1, ir.Float8E8M0:
		if smallFloatsInto(out, t, 0) != nil {
			return nil, buf, false
		}
		return out, rest, true
	}
	switch s := t.Data.(type) {
	case []float64:
		numsInto(out, s)
	case []int8:
		numsInto(out, s)
	case []uint8:
		numsInto(out, s)
	case []int16:
		numsInto(out, s)
	case []uint16:
		numsInto(out, s)
	case []int32:
		numsInto(out, s)
	default:
		return nil, buf, false
	}
	return out, rest, true
}

// nnReadF32Tensors reads x, scale and zp (nil: zs nil) with nnReadF32To
// into one float32 scratch buffer of c, so a quantizing kernel's
// reference path allocates nothing per Run; bad names the first operand
// of another dtype (0 x, 1 scale, 2 zp; -1 none). The values live until
// the kernel's next ScratchF32.
func nnReadF32Tensors(c *Ctx, x, scale, zp *ir.Tensor) (xs, ss, zs []float32, bad int) {
	need := 0
	for _, t := range [3]*ir.Tensor{x, scale, zp} {
		if t != nil && t.DType != ir.Float32 {
			need += int(t.Len())
		}
	}
	buf := c.ScratchF32(need)
	var ok bool
	if xs, buf, ok = nnReadF32To(x, buf); !ok {
		return nil, nil, nil, 0
	}
	if ss, buf, ok = nnReadF32To(scale, buf); !ok {
		return nil, nil, nil, 1
	}
	if zp != nil {
		if zs, _, ok = nnReadF32To(zp, buf); !ok {
			return nil, nil, nil, 2
		}
	}
	return xs, ss, zs, -1
}

func nnConvertSlice[S, D int8 | uint8 | int16 | uint16 | int32 | int64 | uint32 | uint64 | float32 | float64](s []S) []D {
	out := make([]D, len(s))
	for i, v := range s {
		out[i] = D(v)
	}
	return out
}

// nnRoundTo rounds v to the precision of dtype d (float16, bfloat16), or
// returns it unchanged.
func nnRoundTo(d ir.DType, v float32) float32 {
	switch d {
	case ir.Float16:
		return ir.NewFloat16(v).Float32()
	case ir.BFloat16:
		return ir.NewBFloat16(v).Float32()
	}
	return v
}

// quantLayout maps each element of x to its scale/zero-point element.
type quantLayout struct {
	kind         int // 0 per-tensor, 1 per-axis, 2 blocked
	axisDim      int
	inner        int
	block, sAxis int
}

func (q *quantLayout) index(i int) int {
	switch q.kind {
	case 1:
		return (i / q.inner) % q.axisDim
	case 2:
		in := i % q.inner
		a := (i / q.inner) % q.axisDim
		outer := i / (q.inner * q.axisDim)
		return (outer*q.sAxis+a/q.block)*q.inner + in
	}
	return 0
}

// planQuantLayout validates the scale shape against x and the attributes.
// It returns the layout by value, so that a Run allocates nothing for it.
func planQuantLayout(c *Ctx, x, scale *ir.Tensor, zp *ir.Tensor, axis int64, blockSize int64) (quantLayout, error) {
	if zp != nil && zp.Len() != scale.Len() {
		return quantLayout{}, c.Errorf("zero point shape %v differs from scale shape %v", zp.Shape, scale.Shape)
	}
	r := len(x.Shape)
	if scale.Len() == 1 && len(scale.Shape) <= 1 && blockSize <= 0 {
		return quantLayout{}, nil
	}
	ax, err := ir.NormAxis(axis, max(r, 1))
	if err != nil {
		return quantLayout{}, c.Errorf("%v", err)
	}
	q := quantLayout{inner: nnProd(x.Shape[min(ax+1, r):])}
	if r > 0 {
		q.axisDim = int(x.Shape[ax])
	}
	if blockSize <= 0 {
		if len(scale.Shape) != 1 || int(scale.Shape[0]) != q.axisDim {
			return quantLayout{}, c.Errorf("scale shape %v does not match axis %d of input shape %v", scale.Shape, axis, x.Shape)
		}
		q.kind = 1
		return q, nil
	}
	if len(scale.Shape) != r {
		return quantLayout{}, c.Errorf("blocked scale shape %v must have the rank of input shape %v", scale.Shape, x.Shape)
	}
	for i := range r {
		want := x.Shape[i]
		if i == ax {
			want = (x.Shape[i] + blockSize - 1) / blockSize
		}
		if scale.Shape[i] != want {
			return quantLayout{}, c.Errorf("blocked scale shape %v does not match input shape %v with block_size %d on axis %d", scale.Shape, x.Shape, blockSize, axis)
		}
	}
	q.kind, q.block, q.sAxis = 2, int(blockSize), int(scale.Shape[ax])
	return q, nil
}

func buildQuantizeLinear(b *Build) (Func, error) {
	a := b.Attrs()
	axis := a.Int("axis", 1)
	blockSize := a.Int("block_size", 0)
	saturate := a.Int("saturate", 1) != 0
	precision := ir.DType(a.Int("precision", 0))
	if blockSize < 0 {
		return nil, b.Errorf("block_size %d is negative", blockSize)
	}
	if precision != ir.Undefined && precision != ir.Float32 && !nnIsHalf(precision) {
		return nil, b.Errorf("precision %v is not supported (float, float16, bfloat16)", precision)
	}
	zpType := ir.Undefined
	if len(b.InTypes) > 2 && b.InTypes[2] != nil {
		zpType = b.InTypes[2].DType
	}
	if _, err := ir.QuantizeOutputDType(a, zpType); err != nil {
		return nil, b.Errorf("%v", err)
	}
	vec := quantVecFor(b.Level)
	return func(c *Ctx, in []*ir.Tensor) error {
		x, scale := in[0], in[1]
		if x == nil || scale == nil {
			return c.Errorf("inputs x and y_scale are required")
		}
		var zp *ir.Tensor
		if len(in) > 2 {
			zp = in[2]
		}
		zdt := ir.Undefined
		if zp != nil {
			zdt = zp.DType
		}
		odt, err := ir.QuantizeOutputDType(c.Node.Attrs, zdt)
		if err != nil {
			return c.Errorf("%v", err)
		}
		lay, err := planQuantLayout(c, x, scale, zp, axis, blockSize)
		if err != nil {
			return err
		}
		if _, _, _, ok := quantByteRange(odt); ok {
			out, err := c.OutputUninit(0, odt, x.Shape)
			if err != nil {
				return err
			}
			if quantizeFast(c, vec, x, scale, zp, out, &lay, precision) {
				return nil
			}
		}
		xs, ss, zs, bad := nnReadF32Tensors(c, x, scale, zp)
		if bad >= 0 {
			t := [3]*ir.Tensor{x, scale, zp}[bad]
			return c.Errorf("input %s has unsupported dtype %v", [3]string{"x", "y_scale", "y_zero_point"}[bad], t.DType)
		}
		divType := precision
		if divType == ir.Undefined {
			divType = scale.DType
			if x.DType != scale.DType {
				divType = ir.Float32 // numpy promotes mixed operands to float32
			}
		}
		out, err := c.OutputUninit(0, odt, x.Shape)
		if err != nil {
			return err
		}
		mf := nnMiniFloatOf(odt)
		lo, hi, isInt := nnQuantRange(odt)
		if mf == nil && !isInt {
			return c.Errorf("output type %v is not a quantized type", odt)
		}
		for i, xv := range xs {
			j := lay.index(i)
			sv := ss[j]
			if precision != ir.Undefined {
				xv, sv = nnRoundTo(precision, xv), nnRoundTo(precision, sv)
			}
			v := nnRoundTo(divType, xv/sv)
			var z float32
			if zs != nil {
				z = zs[j]
			}
			if mf != nil {
				out.Data.([]uint8)[i] = mf.encode(v+z, saturate)
				continue
			}
			q := math.RoundToEven(float64(v)) + float64(z)
			q = math.Max(lo, math.Min(hi, q))
			if v != v {
				q = lo
			}
			nnStoreInt(out.Data, i, int64(q))
		}
		return nil
	}, nil
}

// nnStoreInt stores an in-range integer into element i of an integer slice.
func nnStoreInt(dst any, i int, v int64) {
	switch d := dst.(type) {
	case []int8:
		d[i] = int8(v)
	case []uint8:
		d[i] = uint8(v)
	case []int16:
		d[i] = int16(v)
	case []uint16:
		d[i] = uint16(v)
	case []int32:
		d[i] = int32(v)
	default:
		panic("BUG: nnStoreInt into unsupported slice")
	}
}

func buildDequantizeLinear(b *Build) (Func, error) {
	a := b.Attrs()
	axis := a.Int("axis", 1)
	blockSize := a.Int("block_size", 0)
	odtAttr := ir.DType(a.Int("output_dtype", 0))
	if blockSize < 0 {
		return nil, b.Errorf("block_size %d is negative", blockSize)
	}
	if odtAttr != ir.Undefined && odtAttr != ir.Float32 && !nnIsHalf(odtAttr) {
		return nil, b.Errorf("output_dtype %v is not float, float16 or bfloat16", odtAttr)
	}
	vec := quantVecFor(b.Level)
	return func(c *Ctx, in []*ir.Tensor) error {
		x, scale := in[0], in[1]
		if x == nil || scale == nil {
			return c.Errorf("inputs x and x_scale are required")
		}
		var zp *ir.Tensor
		if len(in) > 2 {
			zp = in[2]
		}
		if zp != nil && zp.DType != x.DType {
			return c.Errorf("x_zero_point has dtype %v, expected %v like x", zp.DType, x.DType)
		}
		lay, err := planQuantLayout(c, x, scale, zp, axis, blockSize)
		if err != nil {
			return err
		}
		if odtAttr == ir.Undefined || odtAttr == ir.Float32 {
			if _, _, _, ok := quantByteRange(x.DType); ok && scale.DType == ir.Float32 {
				out, err := c.OutputUninit(0, ir.Float32, x.Shape)
				if err != nil {
					return err
				}
				if dequantizeFast(c, vec, x, scale, zp, out, &lay) {
					return nil
				}
			}
		}
		xs, ss, zs, bad := nnReadF32Tensors(c, x, scale, zp)
		if bad >= 0 {
			t := [3]*ir.Tensor{x, scale, zp}[bad]
			return c.Errorf("input %s has unsupported dtype %v", [3]string{"x", "x_scale", "x_zero_point"}[bad], t.DType)
		}
		odt := odtAttr
		if odt == ir.Undefined {
			odt = scale.DType
			if odt == ir.Float8E8M0 {
				odt = ir.Float32
			}
		}
		out, err := c.OutputUninit(0, odt, x.Shape)
		if err != nil {
			return err
		}
		var res []float32
		if odt == ir.Float32 {
			res = out.F32()
		} else {
			res = make([]float32, len(xs))
		}
		for i, xv := range xs {
			j := lay.index(i)
			if zs != nil {
				xv -= zs[j]
			}
			res[i] = xv * ss[j]
		}
		if odt != ir.Float32 {
			nnStoreHalf(out.Data, res)
		}
		return nil
	}, nil
}

// buildDynamicQuantizeLinear quantizes x to uint8 over its range with 0:
// scale = (max(0, max x) - min(0, min x)) / 255 (1/255 for an all-zero
// x), zero point = roundEven(clamp(-min/scale, 0, 255)), y =
// saturate(roundEven(x/scale) + zero point), as the ONNX spec and ONNX
// Runtime compute them (x/scale divided, not multiplied by 1/scale). The
// range skips NaNs and a NaN quantizes to 0. Both passes over x run the
// vector routines and split over the pool when x is large.
func buildDynamicQuantizeLinear(b *Build) (Func, error) {
	vec := quantVecFor(b.Level)
	return func(c *Ctx, in []*ir.Tensor) error {
		x := in[0]
		if x == nil || x.DType != ir.Float32 {
			return c.Errorf("input x must be a float tensor")
		}
		xs := x.F32()
		j, chunks := newQuantJob(vec, c.Pool, len(xs))
		defer j.release()
		j.xs = xs
		j.run(c.Pool, chunks, j.fnRange)
		lo, hi := j.rangeAll(chunks)
		rng := hi - lo
		if hi == lo {
			rng = 1
		}
		scale := rng / 255
		zpf := float32(0) - lo/scale
		zpf = max(0, min(255, zpf))
		zp := int32(math.RoundToEven(float64(zpf)))
		y, err := c.OutputUninit(0, ir.Uint8, x.Shape)
		if err != nil {
			return err
		}
		j.qs, j.scale, j.lo, j.hi, j.zp = y.Data.([]uint8), scale, float32(-zp), float32(255-zp), zp
		j.run(c.Pool, chunks, j.fnQuant)
		st, err := c.OutputUninit(1, ir.Float32, []int64{})
		if err != nil {
			return err
		}
		st.F32()[0] = scale
		zt, err := c.OutputUninit(2, ir.Uint8, []int64{})
		if err != nil {
			return err
		}
		zt.Data.([]uint8)[0] = uint8(zp)
		return nil
	}, nil
}
