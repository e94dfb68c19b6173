package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// Element-type helpers shared by the NN kernels (Gemm, MatMul, Conv,
// pooling, recurrent cells). The float kernels are written once, generic
// over float32 and float64; float16 and bfloat16 run through the float32
// code (nnViaF32) and are rounded back.

// nnFloat is the set of compute types of the float kernels.
type nnFloat interface{ float32 | float64 }

// nnNumber is the set of element types Gemm and MatMul accept natively.
type nnNumber interface {
	float32 | float64 | int32 | int64 | uint32 | uint64
}

// nnIsHalf reports whether d is stored as a 16-bit float.
func nnIsHalf(d ir.DType) bool { return d == ir.Float16 || d == ir.BFloat16 }

// nnHalfToF32 widens a float16/bfloat16 tensor into a new float32 tensor.
func nnHalfToF32(t *ir.Tensor) *ir.Tensor {
	out := make([]float32, t.Len())
	switch s := t.Data.(type) {
	case []ir.F16:
		for i, v := range s {
			out[i] = v.Float32()
		}
	case []ir.BF16:
		for i, v := range s {
			out[i] = v.Float32()
		}
	default:
		panic(fmt.Sprintf("BUG: nnHalfToF32 of %v", t.DType))
	}
	return &ir.Tensor{DType: ir.Float32, Shape: t.Shape, Data: out}
}

// nnStoreHalf rounds src into the float16/bfloat16 storage dst.
func nnStoreHalf(dst any, src []float32) {
	switch d := dst.(type) {
	case []ir.F16:
		for i, v := range src {
			d[i] = ir.NewFloat16(v)
		}
	case []ir.BF16:
		for i, v := range src {
			d[i] = ir.NewBFloat16(v)
		}
	default:
		panic(fmt.Sprintf("BUG: nnStoreHalf into %T", dst))
	}
}

// nnViaF32 wraps a kernel written for float32 so that it also runs on
// float16 and bfloat16: half inputs are widened, the kernel runs, and its
// float32 outputs are rounded back to the half type. Other inputs and
// outputs (indices, sequence lengths) pass through.
func nnViaF32(fn Func) Func {
	return func(c *Ctx, in []*ir.Tensor) error {
		half := ir.Undefined
		conv := make([]*ir.Tensor, len(in))
		for i, t := range in {
			conv[i] = t
			if t != nil && nnIsHalf(t.DType) {
				half = t.DType
				conv[i] = nnHalfToF32(t)
			}
		}
		if half == ir.Undefined {
			return fn(c, in)
		}
		sub := &Ctx{Pool: c.Pool, Scope: c.Scope, MaxElements: c.MaxElements, MaxBytes: c.MaxBytes, Node: c.Node, Outs: make([]*ir.Tensor, len(c.Outs))}
		if err := fn(sub, conv); err != nil {
			return err
		}
		for i, o := range sub.Outs {
			if o == nil {
				continue
			}
			if o.DType != ir.Float32 {
				c.SetOutput(i, o)
				continue
			}
			t, err := c.OutputUninit(i, half, o.Shape)
			if err != nil {
				return err
			}
			nnStoreHalf(t.Data, o.F32())
		}
		return nil
	}
}

// nnFloatKernel picks the float32, float64 or (via float32) half variant
// of a float kernel by the dtype of input 0 at run time.
func nnFloatKernel(f32 Func, f64 Func) Func {
	half := nnViaF32(f32)
	return func(c *Ctx, in []*ir.Tensor) error {
		if len(in) == 0 || in[0] == nil {
			return c.Errorf("input 0 is missing")
		}
		switch in[0].DType {
		case ir.Float32:
			return f32(c, in)
		case ir.Float64:
			return f64(c, in)
		case ir.Float16, ir.BFloat16:
			return half(c, in)
		}
		return c.Errorf("input 0 has dtype %v, expected a float type", in[0].DType)
	}
}

// nnCheckRank returns an error unless t has rank r (r < 0: at least -r).
func nnCheckRank(c *Ctx, t *ir.Tensor, name string, r int) error {
	if t == nil {
		return c.Errorf("input %s is missing", name)
	}
	if r >= 0 && len(t.Shape) != r {
		return c.Errorf("input %s must have rank %d, got shape %v", name, r, t.Shape)
	}
	if r < 0 && len(t.Shape) < -r {
		return c.Errorf("input %s must have rank >= %d, got shape %v", name, -r, t.Shape)
	}
	return nil
}

// nnSameDType checks that every present input listed shares in[idx[0]]'s dtype.
func nnSameDType(c *Ctx, in []*ir.Tensor, idx ...int) error {
	first := in[idx[0]]
	for _, i := range idx[1:] {
		if i < len(in) && in[i] != nil && in[i].DType != first.DType {
			return c.Errorf("input %d has dtype %v, expected %v like input %d", i, in[i].DType, first.DType, idx[0])
		}
	}
	return nil
}

// nnProd returns the product of s.
func nnProd(s []int64) int {
	n := 1
	for _, v := range s {
		n *= int(v)
	}
	return n
}
