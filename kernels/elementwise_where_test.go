package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestWhere(t *testing.T) {
	cond := ewT([]int64{2, 1}, true, false)
	x := ewT([]int64{3}, "a", "b", "c")
	y := ewT([]int64{}, "z")
	ewExpect(t, "strings", ewMust(t, "Where", 16, nil, cond, x, y), []int64{2, 3}, []string{"a", "b", "c", "z", "z", "z"})
	c2 := ewT([]int64{2}, true, false)
	ewExpect(t, "same", ewMust(t, "Where", 16, nil, c2, ewT([]int64{2}, int64(1), 2), ewT([]int64{2}, int64(3), 4)), []int64{2}, []int64{1, 4})
	if _, err := ewRun(t, "Where", 16, nil, ewT([]int64{1}, int32(1)), x, x); err == nil {
		t.Fatal("non-bool condition should fail")
	}
}

func TestClip(t *testing.T) {
	x := ewT([]int64{5}, float32(-2), -1, 0, 1, float32(math.NaN()))
	lo := ewT([]int64{}, float32(-1))
	hi := ewT([]int64{}, float32(0.5))
	got := ewMust(t, "Clip", 13, nil, x, lo, hi).F32()
	want := []float32{-1, -1, 0, 0.5}
	for i, w := range want {
		if got[i] != w {
			t.Fatalf("clip: %v", got)
		}
	}
	if !math.IsNaN(float64(got[4])) {
		t.Fatalf("clip NaN: %v", got)
	}
	// Only max given (min omitted).
	ewExpect(t, "max only", ewMust(t, "Clip", 13, nil, ewT([]int64{3}, int8(-100), 0, 100), nil, ewT([]int64{}, int8(10))), []int64{3}, []int8{-100, 0, 10})
	// min > max gives max everywhere.
	ewExpect(t, "min>max", ewMust(t, "Clip", 13, nil, ewT([]int64{3}, int32(-5), 0, 5), ewT([]int64{}, int32(2)), ewT([]int64{}, int32(1))), []int64{3}, []int32{1, 1, 1})
	// Attribute form (opset 6).
	at := ir.Attrs{}
	at.SetFloat("min", -0.5)
	ewExpect(t, "attrs", ewMust(t, "Clip", 6, at, ewT([]int64{3}, float64(-2), 0, 1e39)), []int64{3}, []float64{-0.5, 0, 3.402823e+38})
	// Clip-1 without bounds clamps nothing.
	ewExpect(t, "clip1", ewMust(t, "Clip", 1, nil, ewT([]int64{2}, float64(-1e300), 1e300)), []int64{2}, []float64{-1e300, 1e300})
	// Unsigned clipping with defaults.
	ewExpect(t, "uint", ewMust(t, "Clip", 13, nil, ewT([]int64{2}, uint64(math.MaxUint64), 3), ewT([]int64{}, uint64(5))), []int64{2}, []uint64{math.MaxUint64, 5})
	if lo, hi := ewIntRange[int16](); lo != math.MinInt16 || hi != math.MaxInt16 {
		t.Fatalf("int16 range %d %d", lo, hi)
	}
	if _, err := ewRun(t, "Clip", 13, nil, x, ewT([]int64{2}, float32(0), 1)); err == nil {
		t.Fatal("non-scalar bound should fail")
	}
}

func TestIsNaNIsInf(t *testing.T) {
	x := ewT([]int64{4}, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 1)
	ewExpect(t, "isnan", ewMust(t, "IsNaN", 20, nil, x), []int64{4}, []bool{true, false, false, false})
	ewExpect(t, "isinf", ewMust(t, "IsInf", 20, nil, x), []int64{4}, []bool{false, true, true, false})
	neg := ir.Attrs{}
	neg.SetInt("detect_positive", 0)
	ewExpect(t, "isinf neg", ewMust(t, "IsInf", 20, neg, x), []int64{4}, []bool{false, false, true, false})
	f8 := &ir.Tensor{DType: ir.Float8E4M3FN, Shape: []int64{2}, Data: []uint8{0x7f, 0x38}}
	ewExpect(t, "isnan f8", ewMust(t, "IsNaN", 20, nil, f8), []int64{2}, []bool{true, false})
}
