package kernels

import (
	"cmp"

	"github.com/nncc/nncc/ir"
)

// Value comparisons for the ordering ops (TopK, ArgMax/ArgMin, Unique).
// Elements are widened into one of four key types that keep their order
// exactly: float64 for every float type, int64 for signed integers and
// bool, uint64 for unsigned integers and string for strings.

// mvKeys holds the widened values of a tensor: exactly one field is set.
type mvKeys struct {
	f []float64
	i []int64
	u []uint64
	s []string
}

// mvKeysOf widens t's elements; float8, float4 and complex types have no
// order here and get an error.
func mvKeysOf(t *ir.Tensor) (mvKeys, error) {
	var k mvKeys
	n := t.Len()
	switch d := t.Data.(type) {
	case []float32, []float64, []ir.F16, []ir.BF16:
		k.f = make([]float64, n)
		for i := range k.f {
			k.f[i] = t.Float64At(i)
		}
	case []int8, []int16, []int32, []int64, []bool:
		if t.DType != ir.Int8 && t.DType != ir.Int16 && t.DType != ir.Int32 && t.DType != ir.Int64 &&
			t.DType != ir.Bool && t.DType != ir.Int4 && t.DType != ir.Int2 {
			return k, mvErrNoOrder(t.DType)
		}
		k.i = make([]int64, n)
		for i := range k.i {
			k.i[i] = int64(t.Float64At(i))
		}
		if v, ok := d.([]int64); ok {
			copy(k.i, v) // exact beyond 2^53
		}
	case []uint8, []uint16, []uint32, []uint64:
		if !t.DType.Info().Unsigned {
			return k, mvErrNoOrder(t.DType)
		}
		k.u = make([]uint64, n)
		for i := range k.u {
			k.u[i] = uint64(t.Float64At(i))
		}
		if v, ok := d.([]uint64); ok {
			copy(k.u, v)
		}
	case []string:
		k.s = d
	default:
		return k, mvErrNoOrder(t.DType)
	}
	return k, nil
}

type mvErrNoOrder ir.DType

func (e mvErrNoOrder) Error() string { return "dtype " + ir.DType(e).String() + " has no ordering" }

// cmpAt compares elements a and b (-1, 0, +1).
func (k mvKeys) cmpAt(a, b int) int {
	switch {
	case k.f != nil:
		return cmp.Compare(k.f[a], k.f[b])
	case k.i != nil:
		return cmp.Compare(k.i[a], k.i[b])
	case k.u != nil:
		return cmp.Compare(k.u[a], k.u[b])
	}
	return cmp.Compare(k.s[a], k.s[b])
}
