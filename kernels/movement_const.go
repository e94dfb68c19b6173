package kernels

import (
	"github.com/nncc/nncc/ir"
)

// Ops that make tensors from shapes or attributes: Shape, Size, Constant,
// ConstantOfShape, Range and EyeLike.

func init() {
	Register("", "Shape", buildShape)
	Register("", "Size", buildSize)
	Register("", "Constant", buildConstant)
	Register("", "ConstantOfShape", buildConstantOfShape)
	Register("", "Range", buildRange)
	Register("", "EyeLike", buildEyeLike)
}

func buildShape(b *Build) (Func, error) {
	a := b.Attrs()
	start, end, hasEnd := a.Int("start", 0), a.Int("end", 0), a.Has("end")
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		s, e := ir.ShapeSliceBounds(len(x.Shape), start, end, hasEnd)
		y, err := c.OutputUninit(0, ir.Int64, []int64{int64(e - s)})
		if err != nil {
			return err
		}
		copy(y.I64(), x.Shape[s:e])
		return nil
	}, nil
}

func buildSize(b *Build) (Func, error) {
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		y, err := c.OutputUninit(0, ir.Int64, []int64{})
		if err != nil {
			return err
		}
		y.I64()[0] = int64(x.Len())
		return nil
	}, nil
}

// buildConstant copies the value attribute into the output on every run,
// so a consumer that works in place cannot alter the graph's constant.
func buildConstant(b *Build) (Func, error) {
	v, err := ir.ConstantValue(b.Node)
	if err != nil {
		return nil, b.Errorf("%v", err)
	}
	if v.Kind != ir.KindTensor || v.Data == nil {
		return nil, b.Errorf("value is not a dense tensor")
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		y, err := c.OutputUninit(0, v.DType, v.Shape)
		if err != nil {
			return err
		}
		if n := v.Len(); n > 0 {
			mvOf(y.Data).Copy(0, mvOf(v.Data), 0, n)
		}
		return nil
	}, nil
}

func buildConstantOfShape(b *Build) (Func, error) {
	val := b.Attrs().Tensor("value")
	if val == nil {
		val = ir.Scalar(float32(0))
	}
	if val.Len() != 1 || val.Data == nil {
		return nil, b.Errorf("value must hold exactly one element")
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		shape, ok, err := mvInts(c, in, 0)
		if err != nil {
			return err
		}
		if !ok {
			return c.Errorf("input 0 (shape) is missing")
		}
		for _, d := range shape {
			if d < 0 {
				return c.Errorf("shape %v has a negative dim", shape)
			}
		}
		y, err := c.OutputUninit(0, val.DType, shape)
		if err != nil {
			return err
		}
		if n := y.Len(); n > 0 {
			mvOf(y.Data).Fill(0, n, mvOf(val.Data), 0)
		}
		return nil
	}, nil
}

func buildRange(b *Build) (Func, error) {
	stash := b.Attrs().Int("stash_type", int64(ir.Float32))
	if stash != int64(ir.Float32) && stash != int64(ir.Float64) {
		return nil, b.Errorf("stash_type %d is not float (1) or double (11)", stash)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		var args [3]*ir.Tensor
		for i := range args {
			t, err := mvTensor(c, in, i)
			if err != nil {
				return err
			}
			if i > 0 && t.DType != args[0].DType {
				return c.Errorf("input %d has dtype %v, expected %v", i, t.DType, args[0].DType)
			}
			args[i] = t
		}
		n, err := ir.RangeLen(args[0], args[1], args[2])
		if err != nil {
			return c.Errorf("%v", err)
		}
		y, err := c.OutputUninit(0, args[0].DType, []int64{n})
		if err != nil {
			return err
		}
		switch out := y.Data.(type) {
		case []int16:
			mvRangeInt(out, args[0], args[2])
		case []int32:
			mvRangeInt(out, args[0], args[2])
		case []int64:
			mvRangeInt(out, args[0], args[2])
		case []float32:
			s, d := args[0].Float64At(0), args[2].Float64At(0)
			for i := range out {
				out[i] = float32(s + float64(i)*d)
			}
		case []float64:
			s, d := args[0].Float64At(0), args[2].Float64At(0)
			for i := range out {
				out[i] = s + float64(i)*d
			}
		case []ir.F16:
			for i, v := range mvRangeStash(len(out), args[0], args[2], stash) {
				out[i] = ir.NewFloat16(float32(v))
			}
		case []ir.BF16:
			for i, v := range mvRangeStash(len(out), args[0], args[2], stash) {
				out[i] = ir.NewBFloat16(float32(v))
			}
		default:
			return c.Errorf("dtype %v is not supported", args[0].DType)
		}
		return nil
	}, nil
}

func mvRangeInt[T int16 | int32 | int64](out []T, start, delta *ir.Tensor) {
	s, _ := start.Int64s()
	d, _ := delta.Int64s()
	for i := range out {
		out[i] = T(s[0] + int64(i)*d[0])
	}
}

// mvRangeStash computes float16/bfloat16 Range values in the stash type
// (float32 or float64), as Range-27 specifies.
func mvRangeStash(n int, start, delta *ir.Tensor, stash int64) []float64 {
	out := make([]float64, n)
	if stash == int64(ir.Float64) {
		s, d := start.Float64At(0), delta.Float64At(0)
		for i := range out {
			out[i] = s + float64(i)*d
		}
		return out
	}
	s, d := float32(start.Float64At(0)), float32(delta.Float64At(0))
	for i := range out {
		out[i] = float64(s + float32(i)*d)
	}
	return out
}

func buildEyeLike(b *Build) (Func, error) {
	a := b.Attrs()
	k := a.Int("k", 0)
	dt := b.InDType(0)
	if a.Has("dtype") {
		dt = ir.DType(a.Int("dtype", 0))
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		odt := dt
		if odt == ir.Undefined {
			odt = x.DType
		}
		if len(x.Shape) != 2 {
			return c.Errorf("input must have rank 2, has shape %v", x.Shape)
		}
		one, err := mvScalar(odt, 1)
		if err != nil {
			return c.Errorf("%v", err)
		}
		y, err := c.Output(0, odt, x.Shape)
		if err != nil {
			return err
		}
		rows, cols := x.Shape[0], x.Shape[1]
		dst, src := mvOf(y.Data), mvOf(one)
		for i := int64(0); i < rows; i++ {
			if j := i + k; j >= 0 && j < cols {
				dst.Copy(int(i*cols+j), src, 0, 1)
			}
		}
		return nil
	}, nil
}
