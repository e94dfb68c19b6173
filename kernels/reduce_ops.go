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
		var memo planMemo[redShapePlan] // steady-state Runs reuse the plan and output shape
		return func(c *Ctx, in []*ir.Tensor) error {
			x := in[0]
			if x == nil || x.Kind != ir.KindTensor {
				return c.Errorf("input 0 (data) must be a tensor")
			}
			if err := redCheckDType(x.DType, kind, boolOK); err != nil {
				return c.Errorf("input 0: %v", err)
			}
			var kb memoKey
			key, memoOK := memoShape(kb[:0], x.Shape), true
			if !hasAttr {
				key, memoOK = memoInts(key, attnInput(in, 1))
			}
			rp, err := memo.lookup(key, memoOK, func() (redShapePlan, error) { return planReduce(c, in, x, attrAxes, hasAttr, noop, keep) })
			if err != nil {
				return err
			}
			y, err := c.OutputUninit(0, x.DType, rp.out)
			if err != nil {
				return err
			}
			return redDispatch(c, kind, x, y, rp.plan)
		}, nil
	}
}

// redShapePlan is a reduction's per-shape plan: the output shape and the
// run plan over the input.
type redShapePlan struct {
	out  []int64
	plan *redPlan
}

// planReduce resolves the axes of a Reduce* step and plans it.
func planReduce(c *Ctx, in []*ir.Tensor, x *ir.Tensor, attrAxes []int64, hasAttr, noop, keep bool) (redShapePlan, error) {
	axes := attrAxes
	if !hasAttr && len(in) > 1 && in[1] != nil {
		v, err := in[1].Int64s()
		if err != nil {
			return redShapePlan{}, c.Errorf("input 1 (axes): %v", err)
		}
		axes = v
	}
	mask, err := redAxesMask(axes, noop && !hasAttr, x.Rank())
	if err != nil {
		return redShapePlan{}, c.Errorf("axes: %v", err)
	}
	shape := []int64{}
	for i, d := range x.Shape {
		switch {
		case !mask[i]:
			shape = append(shape, d)
		case keep:
			shape = append(shape, 1)
		}
	}
	return redShapePlan{out: shape, plan: newRedPlan(x.Shape, mask)}, nil
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

// redDispatch reduces x into y by plan p, splitting the work over c's
// pool when p allows it.
func redDispatch(c *Ctx, kind redKind, x, y *ir.Tensor, p *redPlan) error {
	switch x.Data.(type) {
	case []float32, []float64, []ir.F16, []ir.BF16:
		redFloat(c, kind, x, y, p)
	case []int8, []int16, []int32, []int64, []uint8, []uint16, []uint32, []uint64:
		switch kind {
		case redMean, redL2, redLogSum, redLogSumExp:
			redIntViaFloat(c, kind, x, y, p)
		default:
			redInt(c.Pool, kind, x.Data, y.Data, p)
		}
	case []bool:
		redBool(c.Pool, kind, x.Data.([]bool), y.Data.([]bool), p)
	default:
		return rnErrDType(x.DType)
	}
	return nil
}

// redFloat reduces float storage through float64 accumulators.
func redFloat(c *Ctx, kind redKind, x, y *ir.Tensor, p *redPlan) {
	n := y.Len()
	buf := c.ScratchF64(2 * n)
	redFloatAcc(c.Pool, kind, x.Data, buf[:n], buf[n:], p)
	rnStore(y, 0, 1, buf[:n])
}

// redIntViaFloat computes the reductions of integers that are defined
// through floats (mean, L2, logs) in float64, then truncates toward zero
// like numpy's astype.
func redIntViaFloat(c *Ctx, kind redKind, x, y *ir.Tensor, p *redPlan) {
	nx, ny := x.Len(), y.Len()
	buf := c.ScratchF64(nx + 2*ny) // one scratch buffer: x widened, the sums, LogSumExp's maxima
	xf, acc, mx := buf[:nx:nx], buf[nx:nx+ny:nx+ny], buf[nx+ny:]
	for i := range xf {
		xf[i] = redIntAt(x.Data, i)
	}
	redFloatAcc(c.Pool, kind, xf, acc, mx, p)
	redIntStore(y.Data, acc)
}

// redFloatAcc computes the reduction of x (a float storage slice) into
// acc (one per output element), post-processing included; mx is scratch
// of acc's length (LogSumExp's maxima).
func redFloatAcc(pool Pool, kind redKind, x any, acc, mx []float64, p *redPlan) {
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
	if kind == redLogSumExp {
		redFloatAcc(pool, redMax, x, mx, nil, p)
	}
	n, innerRed := p.inner()
	p.each(pool, &redJob{kind: kind, x: x, acc: acc, mx: mx, n: n, innerRed: innerRed})
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

// redInt reduces integers natively (sum, product, extremes, L1, sum of
// squares, all wrapping like the storage type); x and y are storage
// slices of the same integer type.
func redInt(pool Pool, kind redKind, x, y any, p *redPlan) {
	switch y := y.(type) {
	case []int8:
		redIntInit(kind, y)
	case []int16:
		redIntInit(kind, y)
	case []int32:
		redIntInit(kind, y)
	case []int64:
		redIntInit(kind, y)
	case []uint8:
		redIntInit(kind, y)
	case []uint16:
		redIntInit(kind, y)
	case []uint32:
		redIntInit(kind, y)
	case []uint64:
		redIntInit(kind, y)
	}
	n, innerRed := p.inner()
	p.each(pool, &redJob{kind: kind, x: x, y: y, n: n, innerRed: innerRed})
}

// redIntInit fills y with the identity of the reduction.
func redIntInit[T rnInt](kind redKind, y []T) {
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
}

// redIntAt returns element i of an integer storage slice as a float64.
func redIntAt(x any, i int) float64 {
	switch x := x.(type) {
	case []int8:
		return float64(x[i])
	case []int16:
		return float64(x[i])
	case []int32:
		return float64(x[i])
	case []int64:
		return float64(x[i])
	case []uint8:
		return float64(x[i])
	case []uint16:
		return float64(x[i])
	case []uint32:
		return float64(x[i])
	case []uint64:
		return float64(x[i])
	}
	panic("BUG: redIntAt of a non-integer slice")
}

// redIntStore converts acc into the integer storage slice y like numpy's
// astype (rnFloatToInt).
func redIntStore(y any, acc []float64) {
	switch y := y.(type) {
	case []int8:
		redIntStoreT(y, acc)
	case []int16:
		redIntStoreT(y, acc)
	case []int32:
		redIntStoreT(y, acc)
	case []int64:
		redIntStoreT(y, acc)
	case []uint8:
		redIntStoreT(y, acc)
	case []uint16:
		redIntStoreT(y, acc)
	case []uint32:
		redIntStoreT(y, acc)
	case []uint64:
		redIntStoreT(y, acc)
	}
}

func redIntStoreT[T rnInt](y []T, acc []float64) {
	for i, a := range acc {
		y[i] = rnFloatToInt[T](a)
	}
}

// redBool implements ReduceMax (any) and ReduceMin (all) on bool, with
// False < True; the empty reduction gives False for max and True for min.
func redBool(pool Pool, kind redKind, x, y []bool, p *redPlan) {
	xi := make([]uint8, len(x))
	for i, v := range x {
		if v {
			xi[i] = 1
		}
	}
	yi := make([]uint8, len(y))
	redInt(pool, kind, xi, yi, p) // the empty min of uint8 is 255: True
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
