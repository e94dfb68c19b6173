package kernels

import (
	"cmp"

	"github.com/nncc/nncc/ir"
)

// argLanes sets, for every lane of x (the lanes' axis of n elements between
// outer and inner), res[o*inner+i] to the index of the largest element
// (sign 1) or the smallest (sign -1), the last of equal ones when last, in
// cmp.Compare's order (NaN below every number): the order mvKeys gives
// after widening, without widening. The lanes are walked row by row of
// the axis, so memory is read in order whatever the axis.
func argLanes[T cmp.Ordered](x []T, res []int64, L mvLanes, sign int, last bool) {
	for o := 0; o < L.outer; o++ {
		r := res[o*L.inner : (o+1)*L.inner]
		clear(r)
		base := o * L.n * L.inner
		for j := 1; j < L.n; j++ {
			row := x[base+j*L.inner : base+(j+1)*L.inner]
			for i, v := range row {
				cv := cmp.Compare(v, x[base+int(r[i])*L.inner+i]) * sign
				if cv > 0 || (cv == 0 && last) {
					r[i] = int64(j)
				}
			}
		}
	}
}

// argTyped runs argLanes on x's storage when its Go element type orders as
// its dtype does, and reports whether it did; other dtypes (float16,
// bfloat16, 4- and 2-bit integers, bool, strings) go through mvKeys.
func argTyped(x *ir.Tensor, res []int64, L mvLanes, sign int, last bool) bool {
	switch d := x.Data.(type) {
	case []float32:
		argLanes(d, res, L, sign, last)
	case []float64:
		argLanes(d, res, L, sign, last)
	case []int64:
		argLanes(d, res, L, sign, last)
	case []int32:
		argLanes(d, res, L, sign, last)
	case []int16:
		argLanes(d, res, L, sign, last)
	case []int8:
		if x.DType != ir.Int8 {
			return false
		}
		argLanes(d, res, L, sign, last)
	case []uint8:
		if x.DType != ir.Uint8 {
			return false
		}
		argLanes(d, res, L, sign, last)
	case []uint16:
		if x.DType != ir.Uint16 {
			return false
		}
		argLanes(d, res, L, sign, last)
	case []uint32:
		argLanes(d, res, L, sign, last)
	case []uint64:
		argLanes(d, res, L, sign, last)
	default:
		return false
	}
	return true
}
