package kernels

import "github.com/nncc/nncc/ir"

// Float tensor access for the misc kernels: they compute in float64 and
// round once to the tensor's type.

func miscIsFloat(d ir.DType) bool {
	return d == ir.Float32 || d == ir.Float64 || d == ir.Float16 || d == ir.BFloat16
}

// miscLoad returns the elements of a float tensor as float64.
func miscLoad(t *ir.Tensor) []float64 {
	out := make([]float64, t.Len())
	switch d := t.Data.(type) {
	case []float32:
		for i, v := range d {
			out[i] = float64(v)
		}
	case []float64:
		copy(out, d)
	case []ir.F16:
		for i, v := range d {
			out[i] = float64(v.Float32())
		}
	case []ir.BF16:
		for i, v := range d {
			out[i] = float64(v.Float32())
		}
	default:
		panic("BUG: miscLoad of " + t.DType.String())
	}
	return out
}

// miscStore writes v into a float tensor of the same length.
func miscStore(t *ir.Tensor, v []float64) {
	switch d := t.Data.(type) {
	case []float32:
		for i := range d {
			d[i] = float32(v[i])
		}
	case []float64:
		copy(d, v)
	case []ir.F16:
		for i := range d {
			d[i] = ir.NewFloat16(float32(v[i]))
		}
	case []ir.BF16:
		for i := range d {
			d[i] = ir.NewBFloat16(float32(v[i]))
		}
	default:
		panic("BUG: miscStore of " + t.DType.String())
	}
}

// miscFloatInput returns input i, which must be a float tensor.
func miscFloatInput(c *Ctx, in []*ir.Tensor, i int, name string) (*ir.Tensor, error) {
	if i >= len(in) || in[i] == nil {
		return nil, c.Errorf("input %d (%s) is missing", i, name)
	}
	x := in[i]
	if x.Kind != ir.KindTensor || !miscIsFloat(x.DType) {
		return nil, c.Errorf("input %d (%s) must be a float tensor, got %v", i, name, x.DType)
	}
	return x, nil
}
