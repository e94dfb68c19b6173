package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestCastKernel(t *testing.T) {
	to := func(d ir.DType) ir.Attrs { a := ir.Attrs{}; a.SetInt("to", int64(d)); return a }
	x := ewT([]int64{3}, float32(1.5), -2.7, 1e6)
	ewExpect(t, "to int32", ewMust(t, "Cast", 13, to(ir.Int32), x), []int64{3}, []int32{1, -2, 1000000})
	ewExpect(t, "to e4m3fn", ewMust(t, "Cast", 19, to(ir.Float8E4M3FN), x), []int64{3}, []uint8{0x3c, 0xc3, 0x7e})
	ns := to(ir.Float8E4M3FN)
	ns.SetInt("saturate", 0)
	ewExpect(t, "no saturate", ewMust(t, "Cast", 19, ns, x), []int64{3}, []uint8{0x3c, 0xc3, 0x7f})
	e8 := to(ir.Float8E8M0)
	e8.SetString("round_mode", "down")
	ewExpect(t, "e8m0 down", ewMust(t, "Cast", 24, e8, ewT([]int64{2}, float32(3), 0.75)), []int64{2}, []uint8{0x80, 0x7e})
	bad := to(ir.Float8E8M0)
	bad.SetString("round_mode", "sideways")
	if _, err := ewRun(t, "Cast", 24, bad, x); err == nil {
		t.Fatal("bad round_mode should fail")
	}
	if _, err := ewRun(t, "Cast", 13, to(ir.Complex64), x); err == nil {
		t.Fatal("cast to complex should fail")
	}
	if _, err := ewRun(t, "Cast", 13, to(ir.Float32), ewT([]int64{1}, "pear")); err == nil {
		t.Fatal("non-numeric string should fail")
	}
	like := ewT([]int64{}, ir.NewFloat16(0))
	ewExpect(t, "castlike", ewMust(t, "CastLike", 15, nil, ewT([]int64{2}, int64(3), -1), like), []int64{2}, []ir.F16{ir.NewFloat16(3), ir.NewFloat16(-1)})
	ewExpect(t, "to string", ewMust(t, "Cast", 13, to(ir.String), ewT([]int64{2}, float64(0.5), -3)), []int64{2}, []string{"0.5", "-3"})
}
