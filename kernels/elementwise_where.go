package kernels

import (
	"math"
	"unsafe"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/vecmath"
)

// Where (select with three-way broadcasting), Clip (bounds from attributes
// before opset 11, from optional scalar inputs after), and the float
// classifiers IsNaN and IsInf.

func init() {
	Register("", "Where", ewBuildWhere)
	Register("", "Clip", ewBuildClip)
	Register("", "IsNaN", ewBuildClassify(false))
	Register("", "IsInf", ewBuildClassify(true))
}

func ewBuildWhere(b *Build) (Func, error) {
	var pc ewPlanCache
	return func(c *Ctx, in []*ir.Tensor) error {
		if err := ewInputs(c, in, 3); err != nil {
			return err
		}
		cond, x, y := in[0], in[1], in[2]
		if cond.DType != ir.Bool {
			return c.Errorf("condition must be bool, got %v", cond.DType)
		}
		if x.DType != y.DType {
			return c.Errorf("X has dtype %v but Y has %v", x.DType, y.DType)
		}
		bc, err := pc.plan(nil, cond.Shape, x.Shape, y.Shape)
		if err != nil {
			return c.Errorf("%v", err)
		}
		out, err := c.OutputUninit(0, x.DType, bc.Shape)
		if err != nil {
			return err
		}
		cd := cond.Data.([]bool)
		switch xd := x.Data.(type) {
		case []float32:
			ewWhere(c, bc, cd, xd, y.Data.([]float32), out.Data.([]float32))
		case []float64:
			ewWhere(c, bc, cd, xd, y.Data.([]float64), out.Data.([]float64))
		case []ir.F16:
			ewWhere(c, bc, cd, xd, y.Data.([]ir.F16), out.Data.([]ir.F16))
		case []ir.BF16:
			ewWhere(c, bc, cd, xd, y.Data.([]ir.BF16), out.Data.([]ir.BF16))
		case []int8:
			ewWhere(c, bc, cd, xd, y.Data.([]int8), out.Data.([]int8))
		case []int16:
			ewWhere(c, bc, cd, xd, y.Data.([]int16), out.Data.([]int16))
		case []int32:
			ewWhere(c, bc, cd, xd, y.Data.([]int32), out.Data.([]int32))
		case []int64:
			ewWhere(c, bc, cd, xd, y.Data.([]int64), out.Data.([]int64))
		case []uint8:
			ewWhere(c, bc, cd, xd, y.Data.([]uint8), out.Data.([]uint8))
		case []uint16:
			ewWhere(c, bc, cd, xd, y.Data.([]uint16), out.Data.([]uint16))
		case []uint32:
			ewWhere(c, bc, cd, xd, y.Data.([]uint32), out.Data.([]uint32))
		case []uint64:
			ewWhere(c, bc, cd, xd, y.Data.([]uint64), out.Data.([]uint64))
		case []bool:
			ewWhere(c, bc, cd, xd, y.Data.([]bool), out.Data.([]bool))
		case []string:
			ewWhere(c, bc, cd, xd, y.Data.([]string), out.Data.([]string))
		case []complex64:
			ewWhere(c, bc, cd, xd, y.Data.([]complex64), out.Data.([]complex64))
		case []complex128:
			ewWhere(c, bc, cd, xd, y.Data.([]complex128), out.Data.([]complex128))
		default:
			return c.Errorf("dtype %v is not supported", x.DType)
		}
		return nil
	}, nil
}

// ewWhereSame is Where over [lo, hi) when the three inputs have the
// output's shape.
func ewWhereSame[T any](cond []bool, x, y, o []T, lo, hi int) {
	cs, xs, ys, os := cond[lo:hi], x[lo:hi], y[lo:hi], o[lo:hi]
	for i := range os {
		if cs[i] {
			os[i] = xs[i]
		} else {
			os[i] = ys[i]
		}
	}
}

func ewWhere[T any](c *Ctx, bc *Broadcast, cond []bool, x, y, o []T) {
	if bc.AllSame() {
		if ewSerial(c, bc.Size) {
			ewWhereSame(cond, x, y, o, 0, bc.Size) // no closure: nothing allocated
			return
		}
		ewFor(c, bc.Size, func(lo, hi int) { ewWhereSame(cond, x, y, o, lo, hi) })
		return
	}
	if ewSerial(c, bc.Size) {
		ewWhereRuns(bc, cond, x, y, o, 0, bc.Size) // no closure: nothing allocated
		return
	}
	ewFor(c, bc.Size, func(lo, hi int) { ewWhereRuns(bc, cond, x, y, o, lo, hi) })
}

// ewWhereRuns is Where over the output range [lo, hi) of a general
// broadcast.
func ewWhereRuns[T any](bc *Broadcast, cond []bool, x, y, o []T, lo, hi int) {
	sc, sx, sy := bc.InnerStride(0), bc.InnerStride(1), bc.InnerStride(2)
	bc.Runs(lo, hi, func(out, n int, offs []int) {
		ic, ix, iy := offs[0], offs[1], offs[2]
		for j := out; j < out+n; j++ {
			if cond[ic] {
				o[j] = x[ix]
			} else {
				o[j] = y[iy]
			}
			ic += sc
			ix += sx
			iy += sy
		}
	})
}

// Clip.

func ewBuildClip(b *Build) (Func, error) {
	opset := b.Node.Opset
	attrForm := opset > 0 && opset < 11
	lo, hi := math.Inf(-1), math.Inf(1)
	if attrForm {
		if opset >= 6 {
			lo, hi = -3.402823e+38, 3.402823e+38
		}
		if b.Attrs().Has("min") {
			lo = float64(b.Attrs().Float("min", 0))
		}
		if b.Attrs().Has("max") {
			hi = float64(b.Attrs().Float("max", 0))
		}
	} else if b.Attrs().Has("min") || b.Attrs().Has("max") {
		return nil, b.Errorf("min/max attributes belong to Clip before opset 11; use inputs")
	}
	vec := b.Vec()
	return func(c *Ctx, in []*ir.Tensor) error {
		if err := ewInputs(c, in, 1); err != nil {
			return err
		}
		x := in[0]
		out, err := c.OutputUninit(0, x.DType, x.Shape)
		if err != nil {
			return err
		}
		var bounds [2]*ir.Tensor
		if !attrForm {
			for i := 1; i < 3 && i < len(in); i++ {
				t := in[i]
				if t == nil {
					continue
				}
				if t.DType != x.DType {
					return c.Errorf("input %d has dtype %v, expected %v", i, t.DType, x.DType)
				}
				if t.Len() != 1 {
					return c.Errorf("input %d must be a scalar, has shape %v", i, t.Shape)
				}
				bounds[i-1] = t
			}
		}
		n := x.Len()
		switch s := x.Data.(type) {
		case []float32:
			l, h := ewClipBounds[float32](bounds, lo, hi, nil)
			d := out.F32()
			if ewSerial(c, n) {
				ewClipF32(vec, s, d, l, h) // no closure: nothing allocated
				break
			}
			ewFor(c, n, func(a, z int) { ewClipF32(vec, s[a:z], d[a:z], l, h) })
		case []float64:
			l, h := ewClipBounds[float64](bounds, lo, hi, nil)
			d := ir.Data[float64](out)
			ewFor(c, n, func(a, z int) { ewClipLoop(s[a:z], d[a:z], l, h) })
		case []ir.F16, []ir.BF16:
			l, h := ewClipBounds[float32](bounds, lo, hi, ewToF32)
			t := ewToF32(x)
			ewClipLoop(t, t, l, h)
			ewFromF32(out, t)
		case []int8:
			ewClipInt(bounds, lo, hi, s, ir.Data[int8](out))
		case []int16:
			ewClipInt(bounds, lo, hi, s, ir.Data[int16](out))
		case []int32:
			ewClipInt(bounds, lo, hi, s, ir.Data[int32](out))
		case []int64:
			ewClipInt(bounds, lo, hi, s, ir.Data[int64](out))
		case []uint8:
			ewClipInt(bounds, lo, hi, s, ir.Data[uint8](out))
		case []uint16:
			ewClipInt(bounds, lo, hi, s, ir.Data[uint16](out))
		case []uint32:
			ewClipInt(bounds, lo, hi, s, ir.Data[uint32](out))
		case []uint64:
			ewClipInt(bounds, lo, hi, s, ir.Data[uint64](out))
		default:
			return c.Errorf("dtype %v is not supported", x.DType)
		}
		return nil
	}, nil
}

// ewClipBounds returns the float bounds: from the bound tensors when given,
// else from the attribute values.
func ewClipBounds[T ewFloat](bounds [2]*ir.Tensor, lo, hi float64, widen func(*ir.Tensor) []float32) (T, T) {
	l, h := T(lo), T(hi)
	get := func(t *ir.Tensor) T {
		if widen != nil {
			return T(widen(t)[0])
		}
		return t.Data.([]T)[0]
	}
	if bounds[0] != nil {
		l = get(bounds[0])
	}
	if bounds[1] != nil {
		h = get(bounds[1])
	}
	return l, h
}

// ewClipF32 is ewClipLoop for float32 through the vector max and min of
// the build's level (a scalar loop branches on every element: 4 ns per
// element where the values straddle a bound). Those propagate NaN from
// either operand, so a NaN bound, which ewClipLoop ignores, takes the
// scalar loop.
func ewClipF32(vec *vecmath.Routines, x, y []float32, lo, hi float32) {
	if lo != lo || hi != hi {
		ewClipLoop(x, y, lo, hi)
		return
	}
	switch {
	case !math.IsInf(float64(lo), -1):
		vec.BinaryScalar(vecmath.MaxOp, y, x, lo)
	case !math.IsInf(float64(hi), 1):
		vec.BinaryScalar(vecmath.MinOp, y, x, hi)
		return
	default:
		copy(y, x)
		return
	}
	if !math.IsInf(float64(hi), 1) {
		vec.BinaryScalar(vecmath.MinOp, y, y, hi)
	}
}

// ewClipLoop is y = min(max(x, lo), hi); NaN passes through, and lo > hi
// gives hi everywhere, as the spec says.
func ewClipLoop[T ewNum](x, y []T, lo, hi T) {
	y = y[:len(x)]
	for i, v := range x {
		if v < lo {
			v = lo
		}
		if v > hi {
			v = hi
		}
		y[i] = v
	}
}

func ewClipInt[T ewInt](bounds [2]*ir.Tensor, lo, hi float64, x, y []T) {
	// Attribute bounds (opset < 11 only has float types, but be total):
	// clamp them into T's range.
	l, h := ewIntRange[T]()
	if !math.IsInf(lo, -1) && lo > float64(l) {
		l = T(lo)
	}
	if !math.IsInf(hi, 1) && hi < float64(h) {
		h = T(hi)
	}
	if bounds[0] != nil {
		l = bounds[0].Data.([]T)[0]
	}
	if bounds[1] != nil {
		h = bounds[1].Data.([]T)[0]
	}
	ewClipLoop(x, y, l, h)
}

// ewIntRange returns the smallest and largest values of T.
func ewIntRange[T ewInt]() (T, T) {
	var zero T
	ones := ^zero
	if ones > zero { // unsigned
		return zero, ones
	}
	bits := unsafe.Sizeof(zero) * 8
	hi := T(1)<<(bits-1) - 1 // wraps from the minimum to the maximum
	return -hi - 1, hi
}

// IsNaN and IsInf.

func ewBuildClassify(inf bool) Builder {
	return func(b *Build) (Func, error) {
		neg := b.Attrs().Int("detect_negative", 1) != 0
		pos := b.Attrs().Int("detect_positive", 1) != 0
		return func(c *Ctx, in []*ir.Tensor) error {
			if err := ewInputs(c, in, 1); err != nil {
				return err
			}
			x := in[0]
			if !x.DType.IsFloat() {
				return c.Errorf("dtype %v is not supported", x.DType)
			}
			out, err := c.OutputUninit(0, ir.Bool, x.Shape)
			if err != nil {
				return err
			}
			d := out.Data.([]bool)
			var vals []float32
			switch s := x.Data.(type) {
			case []float32:
				vals = s
			case []float64:
				for i, v := range s {
					d[i] = ewClassify(v, inf, neg, pos)
				}
				return nil
			default:
				if vals, err = smallFloatsToFloat32(x); err != nil {
					return c.Errorf("%v", err)
				}
			}
			for i, v := range vals {
				d[i] = ewClassify(float64(v), inf, neg, pos)
			}
			return nil
		}, nil
	}
}

func ewClassify(v float64, inf, neg, pos bool) bool {
	if !inf {
		return v != v
	}
	return (pos && math.IsInf(v, 1)) || (neg && math.IsInf(v, -1))
}
