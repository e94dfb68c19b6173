package kernels

import (
	"math"
	"unsafe"

	"github.com/nncc/nncc/ir"
)

// The Reduce* family: ReduceSum, ReduceMean, ReduceMax, ReduceMin,
// ReduceProd, ReduceL1, ReduceL2, ReduceLogSum, ReduceLogSumExp and
// ReduceSumSquare, in both the attribute form of `axes` (ReduceSum before
// opset 13, the others before 18) and the input form.

type redKind int

const (
	redSum redKind = iota
	redMean
	redMax
	redMin
	redProd
	redL1
	redL2
	redLogSum
	redLogSumExp
	redSumSquare
)

// redOps is the table of reductions: op name, kind, and whether bool and
// the 8-bit integers are accepted (ReduceMax/ReduceMin only).
var redOps = [...]struct {
	name   string
	kind   redKind
	boolOK bool
}{
	{"ReduceSum", redSum, false},
	{"ReduceMean", redMean, false},
	{"ReduceMax", redMax, true},
	{"ReduceMin", redMin, true},
	{"ReduceProd", redProd, false},
	{"ReduceL1", redL1, false},
	{"ReduceL2", redL2, false},
	{"ReduceLogSum", redLogSum, false},
	{"ReduceLogSumExp", redLogSumExp, false},
	{"ReduceSumSquare", redSumSquare, false},
}

func init() {
	for _, r := range redOps {
		Register("", r.name, buildReduce(r.kind, r.boolOK))
	}
}

// RedAxesMask returns the reduction mask for a Reduce* node given the
// resolved axes (nil when none were given) and noop_with_empty_axes.
func redAxesMask(axes []int64, noop bool, rank int) ([]bool, error) {
	if len(axes) == 0 {
		mask := make([]bool, rank)
		if !noop {
			for i := range mask {
				mask[i] = true
			}
		}
		return mask, nil
	}
	return rnAxisMask(axes, rank)
}

func buildReduce(kind redKind, boolOK bool) Builder {
	return func(b *Build) (Func, error) {
		a := b.Attrs()
		keep := a.Int("keepdims", 1) != 0
		noop := a.Int("noop_with_empty_axes", 0) != 0
		attrAxes := a.Ints("axes", nil)
		hasAttr := a.Has("axes")
		if dt := b.InDType(0); dt != ir.Undefined {
			if err := redCheckDType(dt, kind, boolOK); err != nil {
				return nil, b.Errorf("input 0: %v", err)
			}
		}
		return func(c *Ctx, in []*ir.Tensor) error {
			x := in[0]
			if x == nil || x.Kind != ir.KindTensor {
				return c.Errorf("input 0 (data) must be a tensor")
			}
			if err := redCheckDType(x.DType, kind, boolOK); err != nil {
				return c.Errorf("input 0: %v", err)
			}
			axes := attrAxes
			if !hasAttr && len(in) > 1 && in[1] != nil {
				v, err := in[1].Int64s()
				if err != nil {
					return c.Errorf("input 1 (axes): %v", err)
				}
				axes = v
			}
			mask, err := redAxesMask(axes, noop && !hasAttr, x.Rank())
			if err != nil {
				return c.Errorf("axes: %v", err)
			}
			var shape []int64
			for i, d := range x.Shape {
				switch {
				case !mask[i]:
					shape = append(shape, d)
				case keep:
					shape = append(shape, 1)
				}
			}
			if shape == nil {
				shape = []int64{}
			}
			y, err := c.OutputUninit(0, x.DType, shape)
			if err != nil {
				return err
			}
			p := newRedPlan(x.Shape, mask)
			p.pool = c.Pool
			return redDispatch(kind, x, y, p)
		}, nil
	}
}

func redCheckDType(dt ir.DType, kind redKind, boolOK bool) error {
	switch {
	case rnIsFloatDType(dt), dt.IsInt() && dt.Size() > 0 && dt != ir.Int4 && dt != ir.Uint4 && dt != ir.Int2 && dt != ir.Uint2:
		return nil
	case dt == ir.Bool && boolOK:
		return nil
	}
	return rnErrDType(dt)
}

type rnErrDType ir.DType

func (e rnErrDType) Error() string { return "unsupported dtype " + ir.DType(e).String() }

func redDispatch(kind redKind, x, y *ir.Tensor, p *redPlan) error {
	switch xs := x.Data.(type) {
	case []float32:
		redFloat(kind, xs, y.Data.([]float32), p)
	case []float64:
		redFloat(kind, xs, y.Data.([]float64), p)
	case []ir.F16:
		redFloat(kind, xs, y.Data.([]ir.F16), p)
	case []ir.BF16:
		redFloat(kind, xs, y.Data.([]ir.BF16), p)
	case []int8:
		redIntOrFloat(kind, xs, y.Data.([]int8), p)
	case []int16:
		redIntOrFloat(kind, xs, y.Data.([]int16), p)
	case []int32:
		redIntOrFloat(kind, xs, y.Data.([]int32), p)
	case []int64:
		redIntOrFloat(kind, xs, y.Data.([]int64), p)
	case []uint8:
		redIntOrFloat(kind, xs, y.Data.([]uint8), p)
	case []uint16:
		redIntOrFloat(kind, xs, y.Data.([]uint16), p)
	case []uint32:
		redIntOrFloat(kind, xs, y.Data.([]uint32), p)
	case []uint64:
		redIntOrFloat(kind, xs, y.Data.([]uint64), p)
	case []bool:
		redBool(kind, xs, y.Data.([]bool), p)
	default:
		return rnErrDType(x.DType)
	}
	return nil
}

// redFloat reduces float storage through float64 accumulators.
func redFloat[T rnFloat](kind redKind, x, y []T, p *redPlan) {
	acc := make([]float64, len(y))
	redFloatAcc(kind, x, acc, p)
	for i, a := range acc {
		y[i] = rnPut[T](a)
	}
}

// redFloatAcc computes the reduction into acc (one per output element),
// post-processing included.
func redFloatAcc[T rnFloat](kind redKind, x []T, acc []float64, p *redPlan) {
	init := 0.0
	switch kind {
	case redMax:
		init = math.Inf(-1)
	case redMin:
		init = math.Inf(1)
	case redProd:
		init = 1
	}
	for i := range acc {
		acc[i] = init
	}
	n, innerRed := p.inner()
	var mx []float64
	if kind == redLogSumExp {
		mx = make([]float64, len(acc))
		redFloatAcc(redMax, x, mx, p)
	}
	// float32 sums skip rnGet's per-element type switch (same order, same
	// result).
	xf, isF32 := any(x).([]float32)
	p.runs(func(in, out int) {
		xs := x[in : in+n]
		if innerRed {
			a := acc[out]
			switch kind {
			case redSum, redMean, redLogSum:
				if isF32 {
					for _, v := range xf[in : in+n] {
						a += float64(v)
					}
					break
				}
				for _, v := range xs {
					a += rnGet(v)
				}
			case redMax:
				for _, v := range xs {
					a = rnMaxF(a, rnGet(v))
				}
			case redMin:
				for _, v := range xs {
					a = rnMinF(a, rnGet(v))
				}
			case redProd:
				for _, v := range xs {
					a *= rnGet(v)
				}
			case redL1:
				for _, v := range xs {
					a += math.Abs(rnGet(v))
				}
			case redL2, redSumSquare:
				for _, v := range xs {
					f := rnGet(v)
					a += f * f
				}
			case redLogSumExp:
				m := mx[out]
				if !math.IsInf(m, 0) {
					for _, v := range xs {
						a += math.Exp(rnGet(v) - m)
					}
				}
			}
			acc[out] = a
			return
		}
		as := acc[out : out+n]
		switch kind {
		case redSum, redMean, redLogSum:
			if isF32 {
				for i, v := range xf[in : in+n] {
					as[i] += float64(v)
				}
				break
			}
			for i, v := range xs {
				as[i] += rnGet(v)
			}
		case redMax:
			for i, v := range xs {
				as[i] = rnMaxF(as[i], rnGet(v))
			}
		case redMin:
			for i, v := range xs {
				as[i] = rnMinF(as[i], rnGet(v))
			}
		case redProd:
			for i, v := range xs {
				as[i] *= rnGet(v)
			}
		case redL1:
			for i, v := range xs {
				as[i] += math.Abs(rnGet(v))
			}
		case redL2, redSumSquare:
			for i, v := range xs {
				f := rnGet(v)
				as[i] += f * f
			}
		case redLogSumExp:
			ms := mx[out : out+n]
			for i, v := range xs {
				if !math.IsInf(ms[i], 0) {
					as[i] += math.Exp(rnGet(v) - ms[i])
				}
			}
		}
	})
	switch kind {
	case redMean:
		for i := range acc {
			acc[i] /= float64(p.count)
		}
	case redL2:
		for i := range acc {
			acc[i] = math.Sqrt(acc[i])
		}
	case redLogSum:
		for i := range acc {
			acc[i] = math.Log(acc[i])
		}
	case redLogSumExp:
		for i := range acc {
			if m := mx[i]; math.IsInf(m, 0) || math.IsNaN(m) {
				acc[i] = m
			} else {
				acc[i] = math.Log(acc[i]) + m
			}
		}
	}
}

// redIntOrFloat reduces integers natively where the result is an integer
// operation (sum, product, extremes, L1, sum of squares, all wrapping like
// the storage type) and through float64 otherwise (mean, L2, logs), then
// truncates toward zero like numpy's astype.
func redIntOrFloat[T rnInt](kind redKind, x, y []T, p *redPlan) {
	switch kind {
	case redMean, redL2, redLogSum, redLogSumExp:
		xf := make([]float64, len(x))
		for i, v := range x {
			xf[i] = float64(v)
		}
		acc := make([]float64, len(y))
		redFloatAcc(kind, xf, acc, p)
		for i, a := range acc {
			y[i] = rnFloatToInt[T](a)
		}
		return
	}
	lo, hi := rnIntLimits[T]()
	var init T
	switch kind {
	case redMax:
		init = lo
	case redMin:
		init = hi
	case redProd:
		init = 1
	}
	for i := range y {
		y[i] = init
	}
	n, innerRed := p.inner()
	p.runs(func(in, out int) {
		xs := x[in : in+n]
		if innerRed {
			a := y[out]
			switch kind {
			case redSum:
				for _, v := range xs {
					a += v
				}
			case redMax:
				for _, v := range xs {
					a = max(a, v)
				}
			case redMin:
				for _, v := range xs {
					a = min(a, v)
				}
			case redProd:
				for _, v := range xs {
					a *= v
				}
			case redL1:
				for _, v := range xs {
					if v < 0 {
						v = -v
					}
					a += v
				}
			case redSumSquare:
				for _, v := range xs {
					a += v * v
				}
			}
			y[out] = a
			return
		}
		as := y[out : out+n]
		switch kind {
		case redSum:
			for i, v := range xs {
				as[i] += v
			}
		case redMax:
			for i, v := range xs {
				as[i] = max(as[i], v)
			}
		case redMin:
			for i, v := range xs {
				as[i] = min(as[i], v)
			}
		case redProd:
			for i, v := range xs {
				as[i] *= v
			}
		case redL1:
			for i, v := range xs {
				if v < 0 {
					v = -v
				}
				as[i] += v
			}
		case redSumSquare:
			for i, v := range xs {
				as[i] += v * v
			}
		}
	})
}

// redBool implements ReduceMax (any) and ReduceMin (all) on bool, with
// False < True; the empty reduction gives False for max and True for min.
func redBool(kind redKind, x, y []bool, p *redPlan) {
	xi := make([]uint8, len(x))
	for i, v := range x {
		if v {
			xi[i] = 1
		}
	}
	yi := make([]uint8, len(y))
	redIntOrFloat(kind, xi, yi, p) // the empty min of uint8 is 255: True
	for i := range y {
		y[i] = yi[i] != 0
	}
}

// rnIntLimits returns the smallest and largest values of T.
func rnIntLimits[T rnInt]() (lo, hi T) {
	var zero T
	ones := ^zero
	if ones > zero { // unsigned
		return 0, ones
	}
	bits := int(unsafe.Sizeof(zero)) * 8
	hi = ^(T(1) << (bits - 1))
	return -hi - 1, hi
}

// rnFloatToInt converts like numpy's astype: truncation toward zero;
// NaN becomes 0 and out-of-range values saturate.
func rnFloatToInt[T rnInt](f float64) T {
	lo, hi := rnIntLimits[T]()
	switch {
	case f != f:
		return 0
	case f <= float64(lo):
		return lo
	case f >= float64(hi):
		return hi
	}
	return T(f)
}
