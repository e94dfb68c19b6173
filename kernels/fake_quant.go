package kernels

import "github.com/nncc/nncc/ir"

func init() { Register(ir.FusedDomain, "FakeQuant", buildFakeQuant) }

// buildFakeQuant runs nncc.FakeQuant (ir/ops_fake_quant.go), a QDQ
// model's QuantizeLinear → DequantizeLinear pair in one pass: y =
// roundEven(clamp(x/scale, lo, hi)) · scale, bit for bit the pair's
// result, on the vector routines of the build's ISA, split over the pool
// when x is large. y may share x's buffer (each element is read before
// it is written, at the same index).
func buildFakeQuant(b *Build) (Func, error) {
	a := b.Attrs()
	if err := ir.CheckFakeQuant(a); err != nil {
		return nil, b.Errorf("%v", err)
	}
	scale, lo, hi := a.Float("scale", 0), a.Float("lo", 0), a.Float("hi", 0)
	vec := quantVecFor(b.Level)
	return func(c *Ctx, in []*ir.Tensor) error {
		x := in[0]
		if x == nil || x.DType != ir.Float32 {
			return c.Errorf("input X must be a float tensor")
		}
		y, err := c.OutputUninit(0, ir.Float32, x.Shape)
		if err != nil {
			return err
		}
		xs := x.F32()
		j, chunks := newQuantJob(vec, c.Pool, len(xs))
		j.xs, j.ys, j.scale, j.lo, j.hi = xs, y.F32(), scale, lo, hi
		j.run(c.Pool, chunks, j.fnFake)
		j.release()
		return nil
	}, nil
}
