package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// MatMulInteger and QLinearMatMul: numpy matmul of 8-bit integers with
// zero points, accumulated in int32. Zero points and scales are per
// tensor, per row of A (a vector of length M, or A's batch shape with a
// trailing [M, 1]) or per column of B (length N, or [..., 1, N]).

func init() {
	Register("", "MatMulInteger", buildMatMulInteger)
	Register("", "QLinearMatMul", buildQLinearMatMul)
}

// matmulZeroPoint subtracts a zero point from v, the values of an operand
// of shape s; rowWise says whether a per-element zero point follows the
// rows (A) or the columns (B) of each matrix.
func matmulZeroPoint(c *Ctx, v []int32, s []int64, zp *ir.Tensor, rowWise bool, name string) ([]int32, error) {
	if zp == nil {
		return v, nil
	}
	z, err := nnInt32s(c, zp, name)
	if err != nil {
		return nil, err
	}
	out := make([]int32, len(v))
	idx, err := matmulParamIndex(c, s, len(z), rowWise, name)
	if err != nil {
		return nil, err
	}
	for i := range v {
		out[i] = v[i] - z[idx(i)]
	}
	return out, nil
}

// qPerTensor is the parameter index of a per-tensor scale or zero point.
func qPerTensor(int) int { return 0 }

// matmulParamIndex maps an element of an operand of shape s to the
// element of a per-tensor, per-row or per-column parameter of n values.
func matmulParamIndex(c *Ctx, s []int64, n int, rowWise bool, name string) (func(int) int, error) {
	if n == 1 {
		return func(int) int { return 0 }, nil
	}
	rows, cols := 1, int(s[len(s)-1])
	if len(s) >= 2 {
		rows = int(s[len(s)-2])
	}
	mats := nnProd(s) / max(1, rows*cols)
	switch {
	case rowWise && n == rows:
		return func(i int) int { return (i / cols) % rows }, nil
	case rowWise && n == rows*mats:
		return func(i int) int { return i / cols }, nil
	case !rowWise && n == cols:
		return func(i int) int { return i % cols }, nil
	case !rowWise && n == cols*mats:
		return func(i int) int { return (i/(rows*cols))*cols + i%cols }, nil
	}
	return nil, c.Errorf("%s has %d values, which fit neither per tensor nor per %s of shape %v", name, n, map[bool]string{true: "row", false: "column"}[rowWise], s)
}

func buildMatMulInteger(b *Build) (Func, error) {
	exact := newMatMulIntAcc(b, 1, 3)
	level, cache := b.Level, new(matmulCache)
	return func(c *Ctx, in []*ir.Tensor) error {
		if in[0] == nil || in[1] == nil {
			return c.Errorf("inputs A and B are required")
		}
		get := func(i int) *ir.Tensor {
			if i < len(in) {
				return in[i]
			}
			return nil
		}
		if exact != nil && len(in[1].Shape) == 2 && int(in[1].Shape[0]) == exact.k && int(in[1].Shape[1]) == exact.n {
			if shape := exact.outShape(in[0].Shape); shape != nil {
				out, err := c.OutputUninit(0, ir.Int32, shape)
				if err != nil {
					return err
				}
				if done, err := exact.run(c, in[0], get(2), out.Data.([]int32)); done || err != nil {
					return err
				}
			}
		}
		if len(in[0].Shape) == 0 || len(in[1].Shape) == 0 {
			return c.Errorf("A and B must have rank >= 1")
		}
		p, err := cache.plan(c, in[0].Shape, in[1].Shape)
		if err != nil {
			return err
		}
		out, err := c.OutputUninit(0, ir.Int32, p.out)
		if err != nil {
			return err
		}
		if ok, err := matmulIntDynamic(c, level, p, in[0], get(2), in[1], get(3), out.Data.([]int32)); ok || err != nil {
			return err
		}
		a, err := nnInt32s(c, in[0], "A")
		if err != nil {
			return err
		}
		bv, err := nnInt32s(c, in[1], "B")
		if err != nil {
			return err
		}
		if a, err = matmulZeroPoint(c, a, in[0].Shape, get(2), true, "a_zero_point"); err != nil {
			return err
		}
		if bv, err = matmulZeroPoint(c, bv, in[1].Shape, get(3), false, "b_zero_point"); err != nil {
			return err
		}
		matmulCore(c, p, a, bv, out.Data.([]int32))
		return nil
	}, nil
}

func buildQLinearMatMul(b *Build) (Func, error) {
	exact := newMatMulIntAcc(b, 3, 5)
	level, cache := b.Level, new(matmulCache)
	return func(c *Ctx, in []*ir.Tensor) error {
		for _, i := range []int{0, 1, 3, 4, 6} {
			if in[i] == nil {
				return c.Errorf("input %d is required", i)
			}
		}
		A, B := in[0], in[3]
		if len(A.Shape) == 0 || len(B.Shape) == 0 {
			return c.Errorf("a and b must have rank >= 1")
		}
		if nnMiniFloatOf(A.DType) != nil || nnMiniFloatOf(B.DType) != nil {
			return qlinearMatMulFloat(c, in)
		}
		if exact != nil {
			if done, err := qlinearMatMulExact(c, exact, in); done || err != nil {
				return err
			}
		}
		p, err := cache.plan(c, A.Shape, B.Shape)
		if err != nil {
			return err
		}
		acc := qI32View64(c.ScratchI64((nnProd(p.out) + 1) / 2))[:nnProd(p.out)]
		if ok, err := matmulIntDynamic(c, level, p, A, in[2], B, in[5], acc); err != nil {
			return err
		} else if !ok {
			a, err := nnInt32s(c, A, "a")
			if err != nil {
				return err
			}
			bv, err := nnInt32s(c, B, "b")
			if err != nil {
				return err
			}
			if a, err = matmulZeroPoint(c, a, A.Shape, in[2], true, "a_zero_point"); err != nil {
				return err
			}
			if bv, err = matmulZeroPoint(c, bv, B.Shape, in[5], false, "b_zero_point"); err != nil {
				return err
			}
			matmulCore(c, p, a, bv, acc)
		}
		// The scales in the step's float32 scratch (the products above
		// are done with it).
		as, bs, ys, bad := nnReadF32Tensors(c, in[1], in[4], in[6])
		if bad >= 0 || len(ys) != 1 {
			return c.Errorf("a_scale, b_scale and y_scale must be float tensors, y_scale a scalar")
		}
		ai, bi := qPerTensor, qPerTensor
		if len(as) != 1 || len(bs) != 1 {
			// Per-row or per-column scales (the slice is only made here:
			// matmulParamIndex's error keeps it).
			oshape := []int64{int64(len(acc) / max(1, p.m*p.n)), int64(p.m), int64(p.n)}
			if ai, err = matmulParamIndex(c, oshape, len(as), true, "a_scale"); err != nil {
				return err
			}
			if bi, err = matmulParamIndex(c, oshape, len(bs), false, "b_scale"); err != nil {
				return err
			}
		}
		// The combined scale is computed in the scales' own precision.
		sdt := in[1].DType
		scale := func(i int) float64 {
			return float64(nnRoundTo(sdt, nnRoundTo(sdt, as[ai(i)]*bs[bi(i)])/ys[0]))
		}
		odt := A.DType
		var zp float64
		if len(in) > 7 && in[7] != nil {
			odt = in[7].DType
			z, ok := qScalarZP(in[7])
			if !ok {
				return c.Errorf("y_zero_point must be an 8-bit scalar")
			}
			zp = float64(z)
		}
		lo, hi, _ := nnQuantRange(odt)
		out, err := c.OutputUninit(0, odt, p.out)
		if err != nil {
			return err
		}
		for i, v := range acc {
			q := math.RoundToEven(float64(v)*scale(i) + zp)
			nnStoreInt(out.Data, i, int64(math.Max(lo, math.Min(hi, q))))
		}
		return nil
	}, nil
}

// qlinearMatMulFloat handles the float8 forms of QLinearMatMul (opset 21):
// the operands are dequantized, multiplied in float32 and the product
// quantized to y's type (float8 with saturation, or 8-bit integers).
func qlinearMatMulFloat(c *Ctx, in []*ir.Tensor) error {
	deq := func(xi, si, zi int, rowWise bool, name string) ([]float32, error) {
		x := in[xi]
		v, ok := nnReadF32(x)
		if !ok {
			return nil, c.Errorf("input %s has unsupported dtype %v", name, x.DType)
		}
		sc, ok := nnReadF32(in[si])
		if !ok {
			return nil, c.Errorf("scale of %s has unsupported dtype %v", name, in[si].DType)
		}
		si2, err := matmulParamIndex(c, x.Shape, len(sc), rowWise, name+" scale")
		if err != nil {
			return nil, err
		}
		var zp []float32
		var zi2 func(int) int
		if in[zi] != nil {
			if zp, ok = nnReadF32(in[zi]); !ok {
				return nil, c.Errorf("zero point of %s has unsupported dtype %v", name, in[zi].DType)
			}
			if zi2, err = matmulParamIndex(c, x.Shape, len(zp), rowWise, name+" zero point"); err != nil {
				return nil, err
			}
		}
		out := make([]float32, len(v))
		for i, xv := range v {
			if zp != nil {
				xv -= zp[zi2(i)]
			}
			out[i] = xv * sc[si2(i)]
		}
		return out, nil
	}
	a, err := deq(0, 1, 2, true, "a")
	if err != nil {
		return err
	}
	b, err := deq(3, 4, 5, false, "b")
	if err != nil {
		return err
	}
	p, err := planMatMul(c, in[0].Shape, in[3].Shape)
	if err != nil {
		return err
	}
	y := make([]float32, nnProd(p.out))
	matmulCore(c, p, a, b, y)
	ys, ok := nnReadF32(in[6])
	if !ok || len(ys) != 1 {
		return c.Errorf("y_scale must be a float scalar")
	}
	odt := in[0].DType
	var zp float32
	if len(in) > 7 && in[7] != nil {
		odt = in[7].DType
		z, ok := nnReadF32(in[7])
		if !ok || len(z) != 1 {
			return c.Errorf("y_zero_point must be a scalar")
		}
		zp = z[0]
	}
	out, err := c.OutputUninit(0, odt, p.out)
	if err != nil {
		return err
	}
	mf := nnMiniFloatOf(odt)
	lo, hi, isInt := nnQuantRange(odt)
	if mf == nil && !isInt {
		return c.Errorf("output type %v is not a quantized type", odt)
	}
	for i, v := range y {
		q := v/ys[0] + zp
		if mf != nil {
			out.Data.([]uint8)[i] = mf.encode(q, true)
			continue
		}
		nnStoreInt(out.Data, i, int64(math.Max(lo, math.Min(hi, math.RoundToEven(float64(v/ys[0]))+float64(zp)))))
	}
	return nil
}

// qlinearMatMulExact runs QLinearMatMul with a constant 2-D B through the
// exact float accumulator when A's zero point and scale and y's scale and
// zero point are single values (b's scale one or one per column); done is
// false otherwise. The requantization is the generic path's.
func qlinearMatMulExact(c *Ctx, k *matmulIntAcc, in []*ir.Tensor) (bool, error) {
	A, B := in[0], in[3]
	if len(B.Shape) != 2 || int(B.Shape[0]) != k.k || int(B.Shape[1]) != k.n || in[1].DType != ir.Float32 ||
		in[4].DType != ir.Float32 || in[6].DType != ir.Float32 || in[1].Len() != 1 || in[6].Len() != 1 ||
		(in[4].Len() != 1 && int(in[4].Len()) != k.n) || (in[2] != nil && in[2].Len() != 1) {
		return false, nil
	}
	odt := A.DType
	var zp float64
	if len(in) > 7 && in[7] != nil {
		odt = in[7].DType
		z, ok := qScalarZP(in[7])
		if !ok {
			return false, nil
		}
		zp = float64(z)
	}
	lo, hi, ok := nnQuantRange(odt)
	if !ok {
		return false, nil
	}
	shape := k.outShape(A.Shape)
	if shape == nil {
		return false, nil
	}
	n := int(A.Len()) / k.k * k.n
	acc := qI32View64(c.ScratchI64((n + 1) / 2))[:n]
	if done, err := k.run(c, A, in[2], acc); !done || err != nil {
		return done, err
	}
	out, err := c.OutputUninit(0, odt, shape)
	if err != nil {
		return true, err
	}
	as, bs, ys := in[1].F32()[0], in[4].F32(), in[6].F32()[0]
	for i, v := range acc {
		sc := float64(as * bs[(i%k.n)%len(bs)] / ys)
		q := math.RoundToEven(float64(v)*sc + zp)
		nnStoreInt(out.Data, i, int64(math.Max(lo, math.Min(hi, q))))
	}
	return true, nil
}
