package kernels

import (
	"github.com/nncc/nncc/ir"
)

// Sum, Mean, Max and Min over one or more inputs broadcast together. The
// first input is broadcast into the output, then each further input is
// folded into it in place with the pairwise op; Mean divides at the end.
// Max and Min propagate NaN like numpy's maximum and minimum.

func init() {
	Register("", "Sum", ewBuildVariadic(ewAdd, false))
	Register("", "Mean", ewBuildVariadic(ewAdd, true))
	Register("", "Max", ewBuildVariadic(ewMax, false))
	Register("", "Min", ewBuildVariadic(ewMin, false))
}

func ewBuildVariadic(op uint8, mean bool) Builder {
	return func(b *Build) (Func, error) {
		var memo planMemo[*ewFoldPlan] // steady-state Runs reuse the broadcasts
		return func(c *Ctx, in []*ir.Tensor) error {
			var buf [8]*ir.Tensor
			ins := buf[:0]
			for i, t := range in {
				if t == nil {
					continue
				}
				if t.Kind != ir.KindTensor {
					return c.Errorf("input %d must be a tensor", i)
				}
				if len(ins) > 0 && t.DType != ins[0].DType {
					return c.Errorf("input %d has dtype %v, expected %v", i, t.DType, ins[0].DType)
				}
				ins = append(ins, t)
			}
			if len(ins) == 0 {
				return c.Errorf("needs at least one input")
			}
			dt := ins[0].DType
			if !ewArithDType(dt) || (op == ewAdd && !dt.IsFloat() && mean) {
				return c.Errorf("dtype %v is not supported", dt)
			}
			var kb memoKey
			key := kb[:0]
			for _, t := range ins {
				key = memoShape(key, t.Shape)
			}
			p, err := memo.lookup(key, true, func() (*ewFoldPlan, error) { return newEwFoldPlan(ins) })
			if err != nil {
				return c.Errorf("%v", err)
			}
			out, err := c.OutputUninit(0, dt, p.out)
			if err != nil {
				return err
			}
			if ewIsHalf(dt) {
				acc := &ir.Tensor{DType: ir.Float32, Shape: p.out, Data: make([]float32, ir.NumElements(p.out))}
				wide := make([]*ir.Tensor, len(ins))
				for i, t := range ins {
					wide[i] = &ir.Tensor{DType: ir.Float32, Shape: t.Shape, Data: ewToF32(t)}
				}
				if err := ewFold(c, op, mean, p, wide, acc); err != nil {
					return err
				}
				ewFromF32(out, acc.F32())
				return nil
			}
			return ewFold(c, op, mean, p, ins, out)
		}, nil
	}
}

// ewFoldPlan is a variadic op's per-shape plan: the output shape, the
// broadcast of the first input into it and of each further input against
// it.
type ewFoldPlan struct {
	out   []int64
	first *Broadcast
	folds []*Broadcast
}

func newEwFoldPlan(ins []*ir.Tensor) (*ewFoldPlan, error) {
	shapes := make([][]int64, len(ins))
	for i, t := range ins {
		shapes[i] = t.Shape
	}
	out, err := ir.BroadcastConcrete(shapes...)
	if err != nil {
		return nil, err
	}
	p := &ewFoldPlan{out: out, folds: make([]*Broadcast, len(ins)-1)}
	if p.first, err = NewBroadcastTo(out, ins[0].Shape); err != nil {
		return nil, err
	}
	for i, t := range ins[1:] {
		if p.folds[i], err = NewBroadcastTo(out, out, t.Shape); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// ewFold computes out = ins[0] op ins[1] op ... with the broadcasts of p.
func ewFold(c *Ctx, op uint8, mean bool, p *ewFoldPlan, ins []*ir.Tensor, out *ir.Tensor) error {
	if err := ewBroadcastCopyAny(p.first, out, ins[0]); err != nil {
		return c.Errorf("%v", err)
	}
	for i, t := range ins[1:] {
		if err := ewArith(c, op, p.folds[i], out, t, out); err != nil {
			return err
		}
	}
	if mean && len(ins) > 1 {
		switch d := out.Data.(type) {
		case []float32:
			n := float32(len(ins))
			for i := range d {
				d[i] /= n
			}
		case []float64:
			n := float64(len(ins))
			for i := range d {
				d[i] /= n
			}
		default:
			return c.Errorf("dtype %v is not supported", out.DType)
		}
	}
	return nil
}

// ewBroadcastCopyAny is BroadcastCopy for any numeric storage.
func ewBroadcastCopyAny(b *Broadcast, dst, src *ir.Tensor) error {
	switch d := dst.Data.(type) {
	case []float32:
		BroadcastCopy(b, d, src.Data.([]float32))
	case []float64:
		BroadcastCopy(b, d, src.Data.([]float64))
	case []int8:
		BroadcastCopy(b, d, src.Data.([]int8))
	case []int16:
		BroadcastCopy(b, d, src.Data.([]int16))
	case []int32:
		BroadcastCopy(b, d, src.Data.([]int32))
	case []int64:
		BroadcastCopy(b, d, src.Data.([]int64))
	case []uint8:
		BroadcastCopy(b, d, src.Data.([]uint8))
	case []uint16:
		BroadcastCopy(b, d, src.Data.([]uint16))
	case []uint32:
		BroadcastCopy(b, d, src.Data.([]uint32))
	case []uint64:
		BroadcastCopy(b, d, src.Data.([]uint64))
	default:
		return errUnsupportedDType(dst.DType)
	}
	return nil
}

type ewDTypeError struct{ d ir.DType }

func (e ewDTypeError) Error() string { return "dtype " + e.d.String() + " is not supported" }

func errUnsupportedDType(d ir.DType) error { return ewDTypeError{d} }
