package kernels

import (
	"math"
	"sync"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/vecmath"
)

// GlobalAveragePool, GlobalMaxPool, GlobalLpPool (one value per [n, c]
// plane) and MaxUnpool.

func init() {
	Register("", "GlobalAveragePool", buildGlobalPool(poolAvg))
	Register("", "GlobalMaxPool", buildGlobalPool(poolMax))
	Register("", "GlobalLpPool", buildGlobalPool(poolLp))
	Register("", "MaxUnpool", buildMaxUnpool)
}

func buildGlobalPool(kind int) Builder {
	return func(b *Build) (Func, error) {
		p := b.Attrs().Int("p", 2)
		if kind == poolLp && p <= 0 {
			return nil, b.Errorf("p %d must be positive", p)
		}
		shape := &globalShape{}
		vec := b.Vec()
		f32 := func(c *Ctx, in []*ir.Tensor) error { return runGlobalPool[float32](c, vec, kind, p, shape, in) }
		f64 := func(c *Ctx, in []*ir.Tensor) error { return runGlobalPool[float64](c, vec, kind, p, shape, in) }
		return nnFloatKernel(f32, f64), nil
	}
}

// globalShape remembers the last output shape ([N, C, 1, ...]) so that
// steady-state Runs need not build a new shape slice.
type globalShape struct {
	mu sync.Mutex
	s  []int64
}

func (gs *globalShape) get(xs []int64) []int64 {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	if len(gs.s) != len(xs) || gs.s[0] != xs[0] || gs.s[1] != xs[1] {
		gs.s = make([]int64, len(xs))
		gs.s[0], gs.s[1] = xs[0], xs[1]
		for i := 2; i < len(xs); i++ {
			gs.s[i] = 1
		}
	}
	return gs.s
}

func runGlobalPool[T nnFloat](c *Ctx, vec *vecmath.Routines, kind int, p int64, gs *globalShape, in []*ir.Tensor) error {
	x := in[0]
	if len(x.Shape) < 2 {
		return c.Errorf("input X must have rank >= 2, got shape %v", x.Shape)
	}
	out, err := c.OutputUninit(0, x.DType, gs.get(x.Shape))
	if err != nil {
		return err
	}
	size := nnProd(x.Shape[2:])
	xd, yd := ir.Data[T](x), ir.Data[T](out)
	if x32, ok := any(xd).([]float32); ok && kind != poolLp && size > 0 {
		// float32: vectorised sums and maxima, one plane at a time.
		y32 := any(yd).([]float32)
		for pl := range y32 {
			plane := x32[pl*size : (pl+1)*size]
			if kind == poolMax {
				y32[pl] = vec.Max(plane)
			} else {
				y32[pl] = vec.Sum(plane) / float32(size)
			}
		}
		return nil
	}
	for pl := range yd {
		plane := xd[pl*size : (pl+1)*size]
		switch kind {
		case poolMax:
			m := T(math.Inf(-1))
			for _, v := range plane {
				m = max(m, v)
			}
			yd[pl] = m
		case poolAvg:
			var s float64
			for _, v := range plane {
				s += float64(v)
			}
			yd[pl] = T(s / float64(size))
		case poolLp:
			var s float64
			for _, v := range plane {
				s += math.Pow(math.Abs(float64(v)), float64(p))
			}
			yd[pl] = T(math.Pow(s, 1/float64(p)))
		}
	}
	return nil
}

func buildMaxUnpool(b *Build) (Func, error) {
	a := b.Attrs()
	ks := a.Ints("kernel_shape", nil)
	wa, err := ir.ParseWindowAttrs(a, len(ks), ks)
	if err != nil {
		return nil, b.Errorf("%v", err)
	}
	f32 := func(c *Ctx, in []*ir.Tensor) error { return runMaxUnpool[float32](c, &wa, in) }
	f64 := func(c *Ctx, in []*ir.Tensor) error { return runMaxUnpool[float64](c, &wa, in) }
	return nnFloatKernel(f32, f64), nil
}

// runMaxUnpool scatters X into a zero tensor of the default unpooled shape
// at the flat positions I, then places that tensor at the origin of the
// requested output_shape (ONNX's reference behaviour).
func runMaxUnpool[T nnFloat](c *Ctx, wa *ir.WindowAttrs, in []*ir.Tensor) error {
	x, ind := in[0], in[1]
	if ind == nil || ind.DType != ir.Int64 {
		return c.Errorf("input I must be an int64 tensor")
	}
	if !sameShape(x.Shape, ind.Shape) {
		return c.Errorf("indices shape %v differs from X shape %v", ind.Shape, x.Shape)
	}
	nsp := len(wa.Kernel)
	if len(x.Shape) != nsp+2 {
		return c.Errorf("input X has shape %v, expected rank %d", x.Shape, nsp+2)
	}
	inferred := append([]int64{}, x.Shape...)
	for i := range nsp {
		inferred[2+i] = (x.Shape[2+i]-1)*wa.Strides[i] + wa.Kernel[i] - wa.Pads[i] - wa.Pads[i+nsp]
		if inferred[2+i] <= 0 {
			return c.Errorf("unpooled size on axis %d is not positive", 2+i)
		}
	}
	shape := inferred
	if len(in) > 2 && in[2] != nil {
		v, err := in[2].Int64s()
		if err != nil || len(v) != len(x.Shape) {
			return c.Errorf("output_shape must hold %d integers", len(x.Shape))
		}
		for i := range v {
			if v[i] < inferred[i] {
				return c.Errorf("output_shape %v is smaller than the unpooled shape %v", v, inferred)
			}
		}
		shape = v
	}
	out, err := c.Output(0, x.DType, shape)
	if err != nil {
		return err
	}
	total := nnProd(inferred)
	yd, xd := ir.Data[T](out), ir.Data[T](x)
	// Map a flat index of the inferred shape to the output's layout.
	r := len(shape)
	for i, p := range ind.I64() {
		if p < 0 || p >= int64(total) {
			return c.Errorf("index %d at position %d is outside [0, %d)", p, i, total)
		}
		off, rem, stride := int64(0), p, int64(1)
		for a := r - 1; a >= 0; a-- {
			coord := rem % inferred[a]
			rem /= inferred[a]
			off += coord * stride
			stride *= shape[a]
		}
		yd[off] = xd[i]
	}
	return nil
}
